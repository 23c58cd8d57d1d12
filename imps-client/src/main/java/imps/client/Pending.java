package imps.client;

import imps.protocol.message.ImpsMessage;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;

/**
 * A request waiting for its reply. Mutable fields are touched only on the client's I/O thread.
 *
 * <p>Its future is settled once: by the reply, by the timeout, or by the connection's end,
 * whichever comes first. A request that timed out stays in the FIFO until its reply arrives,
 * because removing it would shift every later reply onto the wrong request.
 */
final class Pending {
  private static final Consumer<ImpsMessage> NOTHING = reply -> {};

  private final ImpsMessage request;
  private final CompletableFuture<ImpsMessage> future;
  private final Consumer<ImpsMessage> onReply;
  private boolean settled;
  ScheduledFuture<?> timeoutTask;

  Pending(ImpsMessage request, CompletableFuture<ImpsMessage> future) {
    this(request, future, NOTHING);
  }

  /**
   * @param onReply runs on the I/O thread when the reply arrives, even after a timeout, before the
   *     future completes: the session's bookkeeping (who is logged in, the chosen status)
   */
  Pending(
      ImpsMessage request, CompletableFuture<ImpsMessage> future, Consumer<ImpsMessage> onReply) {
    this.request = request;
    this.future = future;
    this.onReply = onReply;
  }

  ImpsMessage request() {
    return request;
  }

  CompletableFuture<ImpsMessage> future() {
    return future;
  }

  Consumer<ImpsMessage> onReply() {
    return onReply;
  }

  /** Marks the future as settled; {@code true} only the first time (the caller settles it). */
  boolean settle() {
    if (timeoutTask != null) {
      timeoutTask.cancel(false);
    }
    boolean first = !settled;
    settled = true;
    return first;
  }
}
