package imps.client;

import imps.client.ConnectionState.LoggedInElsewhere;
import imps.protocol.ErrorCode;
import imps.protocol.message.AddFriendResponse;
import imps.protocol.message.AudioPush;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.FriendRemoved;
import imps.protocol.message.FriendRequestPush;
import imps.protocol.message.ImpsMessage;
import imps.protocol.message.LocationPush;
import imps.protocol.message.MessagePush;
import imps.protocol.message.Receipt;
import imps.protocol.message.StatusNotifyPush;
import imps.protocol.message.StoredPush;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands pushes to the {@link ImpsListener} as SDK events, on the event thread and in wire order;
 * "logged in elsewhere" also moves the connection to {@link LoggedInElsewhere}, so that its close
 * leads to no reconnection. A stored item ({@code S_STORED}) goes to the listener once: repeats are
 * dropped by sequence number, and the item is acknowledged when the callback has returned ({@link
 * Deliveries}). Called on the I/O thread.
 */
final class PushDispatcher {
  private static final Logger log = LoggerFactory.getLogger(PushDispatcher.class);

  private final ClientConnection connection;
  private final ImpsListener listener;
  private final Deliveries deliveries;

  PushDispatcher(ClientConnection connection, ImpsListener listener, Deliveries deliveries) {
    this.connection = connection;
    this.listener = listener;
    this.deliveries = deliveries;
  }

  void route(ImpsMessage m) {
    if (m instanceof ErrorResponse e) {
      if (e.code() == ErrorCode.LOGGED_IN_ELSEWHERE) {
        if (connection.state().channel() != null) {
          connection.moveTo(new LoggedInElsewhere(connection.state().channel()));
        }
        connection.dispatch(listener::onLoggedInElsewhere);
      } else {
        connection.dispatch(() -> listener.onServerError(e.code()));
      }
      return;
    }
    if (m instanceof StoredPush stored) {
      long seq = stored.seq();
      if (!deliveries.arrive(seq)) {
        log.debug("dropping repeated item {}", seq);
        // Acknowledged once everything that arrived before it was handled, the first copy too.
        connection.dispatch(() -> deliveries.done(seq));
        return;
      }
      Runnable call = event(stored.item(), seq);
      connection.dispatch(
          () -> {
            try {
              if (call != null) {
                call.run();
              }
            } finally {
              // Acknowledged even when the callback threw: it has had the item.
              deliveries.done(seq);
            }
          });
      return;
    }
    Runnable call = event(m, 0);
    if (call != null) {
      connection.dispatch(call);
    }
  }

  /** The listener call for push {@code m} (stored item {@code seq}, or 0), or {@code null}. */
  private Runnable event(ImpsMessage m, long seq) {
    if (m instanceof MessagePush msg) {
      ReceivedMessage event = FromWire.message(msg, seq);
      return () -> listener.onMessage(event);
    } else if (m instanceof AudioPush clip) {
      ReceivedClip event = FromWire.clip(clip, seq);
      return () -> listener.onVoiceClip(event);
    } else if (m instanceof StatusNotifyPush s) {
      return () -> listener.onPresence(s.userName(), s.status());
    } else if (m instanceof FriendRequestPush r) {
      // S_ADDFRIEND_REQ names the asking user in its field "friendName".
      return () -> listener.onFriendRequest(r.friendName());
    } else if (m instanceof AddFriendResponse r) {
      FriendRequestOutcome event = FromWire.outcome(r, "?");
      return () -> listener.onFriendRequestOutcome(event);
    } else if (m instanceof FriendRemoved r) {
      return () -> listener.onFriendRemoved(r.friendName());
    } else if (m instanceof Receipt r) {
      MessageReceipt event = FromWire.receipt(r);
      return () -> listener.onReceipt(event);
    } else if (m instanceof LocationPush l) {
      Position p;
      try {
        p = Position.parse(l.location());
      } catch (IllegalArgumentException e) {
        log.debug("ignoring a position that does not parse: {}", m);
        return null;
      }
      return () -> listener.onFriendMoved(l.friendName(), p, l.time());
    }
    log.debug("ignoring push {}", m);
    return null;
  }
}
