package imps.client;

import imps.client.ConnectionState.LoggedInElsewhere;
import imps.protocol.ErrorCode;
import imps.protocol.message.AddFriendResponse;
import imps.protocol.message.AudioPush;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.FriendRequestPush;
import imps.protocol.message.ImpsMessage;
import imps.protocol.message.MessagePush;
import imps.protocol.message.StatusNotifyPush;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands pushes to the {@link ImpsListener} as SDK events, on the event thread and in wire order;
 * "logged in elsewhere" also moves the connection to {@link LoggedInElsewhere}, so that its close
 * leads to no reconnection. Called on the I/O thread.
 */
final class PushDispatcher {
  private static final Logger log = LoggerFactory.getLogger(PushDispatcher.class);

  private final ClientConnection connection;
  private final ImpsListener listener;

  PushDispatcher(ClientConnection connection, ImpsListener listener) {
    this.connection = connection;
    this.listener = listener;
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
    } else if (m instanceof MessagePush msg) {
      ReceivedMessage event = FromWire.message(msg);
      connection.dispatch(() -> listener.onMessage(event));
    } else if (m instanceof AudioPush clip) {
      ReceivedClip event = FromWire.clip(clip);
      connection.dispatch(() -> listener.onVoiceClip(event));
    } else if (m instanceof StatusNotifyPush s) {
      connection.dispatch(() -> listener.onPresence(s.userName(), s.status()));
    } else if (m instanceof FriendRequestPush r) {
      // S_ADDFRIEND_REQ names the asking user in its field "friendName".
      connection.dispatch(() -> listener.onFriendRequest(r.friendName()));
    } else if (m instanceof AddFriendResponse r) {
      FriendRequestOutcome event = FromWire.outcome(r, "?");
      connection.dispatch(() -> listener.onFriendRequestOutcome(event));
    } else {
      log.debug("ignoring push {}", m);
    }
  }
}
