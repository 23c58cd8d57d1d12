package imps.server.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** A writer kept busy in one write, so that the writes queued meanwhile commit in one batch. */
final class BusyWriter {
  private BusyWriter() {}

  /**
   * Starts a write through {@code writeAsync} that waits (at most 5 s) until the latch returned is
   * counted down; returns once that write runs.
   */
  static CountDownLatch hold(Function<Work<Object>, CompletableFuture<Object>> writeAsync)
      throws InterruptedException {
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    writeAsync.apply(
        tx -> {
          holding.countDown();
          try {
            release.await(5, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return null;
        });
    assertThat(holding.await(5, TimeUnit.SECONDS)).isTrue();
    return release;
  }
}
