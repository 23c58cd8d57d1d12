package imps.client;

import imps.protocol.message.ImpsMessage;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/**
 * A request waiting for its reply. Mutable fields are touched only on the client's I/O thread.
 *
 * <p>A timed-out request stays in the FIFO (with {@link #timedOut} set) until its reply arrives,
 * because removing it would shift every later reply onto the wrong request.
 */
final class Pending {
  private final ImpsMessage request;
  private final CompletableFuture<ImpsMessage> future;
  ScheduledFuture<?> timeoutTask;
  boolean timedOut;

  Pending(ImpsMessage request, CompletableFuture<ImpsMessage> future) {
    this.request = request;
    this.future = future;
  }

  ImpsMessage request() {
    return request;
  }

  CompletableFuture<ImpsMessage> future() {
    return future;
  }
}
