package imps.client;

import imps.client.ConnectionState.Reconnecting;
import imps.protocol.message.ImpsMessage;
import io.netty.channel.Channel;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongFunction;

/**
 * Idempotent sends: each message or clip gets a client message id, and is kept here until the
 * server's acknowledgement arrives. When the connection drops before it does (the acknowledgement
 * was lost, or the request never left), the send is not failed: after the automatic reconnection it
 * goes again with the same id, in the original order, and the server stores it only once. Sends
 * made while reconnecting wait here too. The sends fail only when the client stops trying (no
 * reconnection, reconnection given up, sign-out, close).
 *
 * <p>Without the extension (legacy option, or a server that does not grant idempotent sends) a send
 * goes out as the sheet has it and fails like any request when the connection drops.
 *
 * <p>Message ids increase: the clock's epoch milliseconds times 1000, or one more than the last id
 * when that is not larger, so ids stay unique for a user across restarts of the application as long
 * as its clock does not go back. Receipts name the highest id they cover.
 *
 * <p>Threads: {@link #submit} and {@link #nextId} from any thread; the rest on the I/O thread.
 */
final class Outbox {
  private final ClientConnection connection;
  private final Clock clock;
  private final Map<Long, Entry> entries = new LinkedHashMap<>(); // I/O thread, send order
  private Channel channel; // the logged-in channel with idempotent sends, or null
  private boolean retrying; // whether the last login granted idempotent sends
  private long lastId; // guarded by this

  private static final class Entry {
    final long id;
    final ImpsMessage request;
    final CompletableFuture<Long> result;
    Channel sentOn;

    Entry(long id, ImpsMessage request, CompletableFuture<Long> result) {
      this.id = id;
      this.request = request;
      this.result = result;
    }
  }

  Outbox(ClientConnection connection, Clock clock) {
    this.connection = connection;
    this.clock = clock;
  }

  /** The next client message id: larger than every earlier one of this client. */
  synchronized long nextId() {
    lastId = Math.max(lastId + 1, clock.millis() * 1000);
    return lastId;
  }

  /**
   * Sends a message or clip.
   *
   * @param withId the request carrying a client message id
   * @param legacy the request as the sheet has it, for a connection without idempotent sends
   * @return completes with the message id once the server stored it (0 without idempotent sends)
   */
  CompletableFuture<Long> submit(LongFunction<ImpsMessage> withId, ImpsMessage legacy) {
    CompletableFuture<Long> result = new CompletableFuture<>();
    boolean queued =
        connection.tryExecute(
            () -> {
              boolean keep =
                  channel != null || (retrying && connection.state() instanceof Reconnecting);
              if (!keep) {
                connection
                    .request(legacy)
                    .thenApply(Replies::ack)
                    .whenComplete(
                        (v, err) -> {
                          if (err != null) {
                            result.completeExceptionally(err);
                          } else {
                            result.complete(0L);
                          }
                        });
                return;
              }
              long id = nextId();
              Entry e = new Entry(id, withId.apply(id), result);
              entries.put(id, e);
              if (channel != null) {
                transmit(e);
              }
            });
    if (!queued) {
      result.completeExceptionally(new ImpsConnectionException("client closed", null));
    }
    return result;
  }

  /**
   * I/O thread: logged in on {@code ch}; sends again, in order, what waits.
   *
   * @param idempotent whether the server granted idempotent sends
   */
  void loggedIn(Channel ch, boolean idempotent) {
    channel = idempotent ? ch : null;
    retrying = idempotent;
    if (!idempotent) {
      failAll("the server no longer offers idempotent sends");
      return;
    }
    for (Entry e : List.copyOf(entries.values())) {
      if (e.sentOn != ch) {
        transmit(e);
      }
    }
  }

  /** I/O thread: the connection dropped; what waits goes again after the reconnection. */
  void dropped() {
    channel = null;
  }

  /** I/O thread: no more attempts (no reconnection, sign-out, close): what waits fails. */
  void failAll(String why) {
    List<Entry> all = new ArrayList<>(entries.values());
    entries.clear();
    for (Entry e : all) {
      connection.dispatch(
          () -> e.result.completeExceptionally(new ImpsConnectionException(why, null)));
    }
  }

  private void transmit(Entry e) {
    Channel ch = channel;
    e.sentOn = ch;
    connection
        .request(e.request, () -> {}, reply -> entries.remove(e.id))
        .whenComplete(
            (reply, err) -> {
              // Event thread.
              if (err == null) {
                try {
                  Replies.ack(reply);
                  e.result.complete(e.id);
                } catch (ImpsClientException refused) {
                  e.result.completeExceptionally(refused);
                }
              } else if (ImpsClientException.unwrap(err) instanceof ImpsConnectionException) {
                if (!connection.tryExecute(() -> lost(e, ch))) {
                  e.result.completeExceptionally(err);
                }
              } else {
                // A timeout or a request that cannot be sent: the send fails (a later reply is
                // ignored).
                connection.tryExecute(() -> entries.remove(e.id));
                e.result.completeExceptionally(err);
              }
            });
  }

  /** I/O thread: the connection {@code ch} of {@code e} ended before its acknowledgement. */
  private void lost(Entry e, Channel ch) {
    if (e.result.isDone() || !entries.containsKey(e.id)) {
      return;
    }
    if (channel != null && channel == ch) {
      // The close of ch has not been handled yet; its handling keeps the send for after the
      // reconnection (dropped) or fails it (failAll).
      return;
    }
    if (channel != null) {
      if (e.sentOn == ch) {
        transmit(e); // already reconnected, and the resend did not happen yet
      }
    } else if (!(retrying && connection.state() instanceof Reconnecting)) {
      entries.remove(e.id);
      connection.dispatch(
          () ->
              e.result.completeExceptionally(
                  new ImpsConnectionException(
                      "connection closed before the acknowledgement", null)));
    }
  }
}
