package imps.server.store.jdbc;

import java.util.concurrent.CompletableFuture;

/**
 * A queued write and the future its caller waits on: completed once committed, or failed. {@code
 * queuedAt} is when it was queued ({@link System#nanoTime}), for the writer's wait limit.
 */
record PendingWrite<T>(Work<T> work, CompletableFuture<T> result, long queuedAt) {
  PendingWrite(Work<T> work, CompletableFuture<T> result) {
    this(work, result, System.nanoTime());
  }

  /** Completes with {@code value}, the result {@link #work} returned. */
  @SuppressWarnings("unchecked")
  void complete(Object value) {
    result.complete((T) value);
  }
}
