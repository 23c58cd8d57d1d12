package imps.server.session;

import imps.protocol.message.ImpsMessage;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

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
   * Flushes, then runs {@code onWritable} on the connection's thread once the outbound buffer has
   * room (at once if it has), for senders of large amounts (the login backlog) that must not outrun
   * the peer and must not park a thread meanwhile. If the buffer has no room within {@code
   * timeout}, or the connection closes first, {@code onStalled} runs instead. One waiter at a time.
   */
  void whenWritable(Duration timeout, Runnable onWritable, Runnable onStalled);

  /** The single thread every event of this connection runs on (its event loop). */
  Executor executor();

  /**
   * Flushes what is queued, then closes (after a moment for the peer to acknowledge it, where the
   * transport can tell); the future completes when the connection is closed.
   */
  CompletableFuture<Void> close();

  /** Whether the connection is still open. */
  boolean isOpen();

  /** The peer's address, for throttling and logs. */
  String remoteAddress();
}
