package imps.server.session;

import imps.protocol.message.ImpsMessage;
import java.util.concurrent.CompletableFuture;

/**
 * The outbound side of one client connection, as services see it (no Netty types). Thread-safe:
 * frames written from any thread go out in the order of the calls.
 */
public interface Connection {

  /**
   * Queues {@code message}; {@code onWritten} (may be {@code null}) runs once it is in the socket.
   */
  void write(ImpsMessage message, Runnable onWritten);

  /** Flushes queued frames. */
  void flush();

  /**
   * Writes and flushes in one step; {@code onWritten} (may be {@code null}) as in {@link #write}.
   */
  default void writeAndFlush(ImpsMessage message, Runnable onWritten) {
    write(message, onWritten);
    flush();
  }

  /** Writes and flushes. */
  default void send(ImpsMessage message) {
    writeAndFlush(message, null);
  }

  /** Whether the outbound buffer has room (below its high-water mark). */
  boolean isWritable();

  /**
   * Flushes and blocks until the outbound buffer has room again, for senders of large amounts (the
   * login backlog) that must not outrun the peer.
   *
   * @return false when the connection closed or did not drain within {@code timeout}
   */
  boolean awaitWritable(java.time.Duration timeout);

  /** Flushes what is queued, then closes; the future completes when the connection is closed. */
  CompletableFuture<Void> close();

  /** Whether the connection is still open. */
  boolean isOpen();

  /** The peer's address, for throttling and logs. */
  String remoteAddress();
}
