package imps.server.store.jdbc;

import imps.protocol.Gender;
import imps.server.store.NewUser;
import imps.server.store.Store;
import imps.server.store.UserRecord;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** What the tests of writes run together in one group commit share. */
final class WritesTogetherFixture {
  private WritesTogetherFixture() {}

  /** Makes the global registry count (it counts nothing until a registry is added). */
  static void countMeters() {
    Metrics.addRegistry(new SimpleMeterRegistry());
  }

  /** {@code imps_store_writes_together_total} so far. */
  static double together() {
    return Metrics.globalRegistry.get("imps.store.writes.together").counter().count();
  }

  /** A new user of {@code store}. */
  static UserRecord user(Store store, String name) {
    return store
        .accounts()
        .create(new NewUser(name, name, "hash-" + name, Gender.MALE, name + "@x.y"))
        .orElseThrow();
  }

  /**
   * Queues every write of {@code sends} on {@code messages} while {@code jdbc}'s writer is busy, so
   * that they commit in one batch; returns their futures in order, each done (a failure is for the
   * test to assert).
   */
  static <T> List<CompletableFuture<T>> inOneBatch(
      JdbcDatabase jdbc,
      JdbcMessageStore messages,
      List<Function<JdbcMessageStore, CompletableFuture<T>>> sends)
      throws Exception {
    CountDownLatch release = BusyWriter.hold(jdbc::writeAsync);
    List<CompletableFuture<T>> futures = new ArrayList<>();
    for (Function<JdbcMessageStore, CompletableFuture<T>> send : sends) {
      futures.add(send.apply(messages));
    }
    release.countDown();
    for (CompletableFuture<T> f : futures) {
      try {
        f.get(10, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        // asserted by the test
      }
    }
    return futures;
  }
}
