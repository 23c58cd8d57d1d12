package imps.server.store.jdbc;

import java.util.concurrent.CompletableFuture;

/** A queued write and the future its caller waits on: completed once committed, or failed. */
record PendingWrite<T>(Work<T> work, CompletableFuture<T> result) {
  /** Completes with {@code value}, the result {@link #work} returned. */
  @SuppressWarnings("unchecked")
  void complete(Object value) {
    result.complete((T) value);
  }
}
