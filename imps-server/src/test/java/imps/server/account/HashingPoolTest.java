package imps.server.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import imps.protocol.ErrorCode;
import imps.server.LogCapture;
import imps.server.concurrent.Offload;
import imps.server.config.ConfigException;
import imps.server.error.RequestException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HashingPoolTest {
  private static final long MIB = 1 << 20;

  @Test
  void threadsFollowTheMemoryBudgetNotTheCpuCount() {
    // The launcher's 640 MiB heap, a quarter for hashing, 19.7 MiB per hash: 8, whatever the CPUs.
    assertThat(HashingPool.Size.of(640 * MIB, 25, 19456, 32).threads()).isEqualTo(8);
    assertThat(HashingPool.Size.of(640 * MIB, 25, 19456, 64).threads()).isEqualTo(8);
    assertThat(HashingPool.Size.of(640 * MIB, 25, 19456, 2).threads()).isEqualTo(2);
    assertThat(HashingPool.Size.of(640 * MIB, 25, 19456, 32).budgetBytes()).isEqualTo(160 * MIB);
    assertThat(HashingPool.Size.of(64 * MIB, 50, 19456, 8).threads()).isEqualTo(1);
    // Together they stay within the budget.
    HashingPool.Size s = HashingPool.Size.of(640 * MIB, 25, 19456, 32);
    assertThat(s.threads() * HashingPool.bytesPerHash(19456)).isLessThanOrEqualTo(160 * MIB);
  }

  @Test
  void aCostThatDoesNotFitTheHeapIsRefused() {
    assertThatThrownBy(() -> HashingPool.Size.of(640 * MIB, 25, 4 * 1024 * 1024, 2))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "password.memory-kib=4194304 does not fit the heap: one hash takes 4224 MiB, more"
                + " than password.heap-percent=25 of the 640 MiB heap (160 MiB); lower the cost"
                + " or raise the heap (-Xmx)");
    assertThatThrownBy(() -> HashingPool.Size.of(64 * MIB, 25, 19456, 2))
        .isInstanceOf(ConfigException.class);
  }

  @Test
  void hashesAndVerifies() {
    try (HashingPool pool =
        new HashingPool(new PasswordHasher(64, 1), new HashingPool.Size(2, 64 * MIB), 10)) {
      String h = pool.hash("secret1").join();
      assertThat(pool.verify("secret1", h).join()).isTrue();
      assertThat(pool.verify("secret2", h).join()).isFalse();
    }
  }

  @Test
  void aFullQueueAnswersErrorTenAtOnce() throws Exception {
    try (HashingPool pool =
        new HashingPool(new PasswordHasher(64, 1), new HashingPool.Size(1, 64 * MIB), 2)) {
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch running = new CountDownLatch(1);
      List<CompletableFuture<String>> held = new ArrayList<>();
      held.add(
          pool.submit(
              64,
              () -> {
                running.countDown();
                await(release);
                return "first";
              }));
      assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
      held.add(pool.hash("queued-1"));
      held.add(pool.hash("queued-2"));
      CompletableFuture<String> refused = pool.hash("one too many");
      assertThat(refused).isCompletedExceptionally();
      assertThatThrownBy(refused::join)
          .cause()
          .isInstanceOf(RequestException.class)
          .extracting(e -> ((RequestException) e).code())
          .isEqualTo(ErrorCode.TOO_MANY_REQUESTS);
      release.countDown();
      CompletableFuture.allOf(held.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
      assertThat(Offload.cause(refused.handle((v, e) -> e).join()))
          .isInstanceOf(RequestException.class);
    }
  }

  @Test
  void hashesOfALargerCostWaitForMemoryEvenWithThreadsFree() throws Exception {
    long budget = HashingPool.bytesPerHash(1024) * 3 / 2;
    try (HashingPool pool =
        new HashingPool(new PasswordHasher(64, 1), new HashingPool.Size(2, budget), 10)) {
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch firstRunning = new CountDownLatch(1);
      CountDownLatch secondRunning = new CountDownLatch(1);
      CompletableFuture<String> first =
          pool.submit(
              1024,
              () -> {
                firstRunning.countDown();
                await(release);
                return "first";
              });
      assertThat(firstRunning.await(5, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<String> second =
          pool.submit(
              1024,
              () -> {
                secondRunning.countDown();
                return "second";
              });
      assertThat(secondRunning.await(300, TimeUnit.MILLISECONDS)).isFalse();
      release.countDown();
      assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo("second");
      assertThat(first.join()).isEqualTo("first");
    }
  }

  @Test
  void aStoredHashsCostIsReadFromIt() {
    String h = new PasswordHasher(1024, 1).hash("x12345");
    assertThat(PasswordHasher.memoryKibOf(h, 7)).isEqualTo(1024);
    assertThat(PasswordHasher.memoryKibOf("garbage", 7)).isEqualTo(7);
  }

  /** Review finding L9: a password cost below OWASP's minimum is warned about at start-up. */
  @Test
  void aCostBelowOwaspsMinimumIsWarnedAbout() {
    try (LogCapture log = LogCapture.of(HashingPool.class);
        HashingPool weak = HashingPool.forThisJvm(new PasswordHasher(64, 1), 25, 10)) {
      assertThat(log.warnings()).anySatisfy(w -> assertThat(w).contains("below OWASP"));
    }
    try (LogCapture log = LogCapture.of(HashingPool.class);
        HashingPool owasp =
            HashingPool.forThisJvm(
                new PasswordHasher(HashingPool.OWASP_MEMORY_KIB, HashingPool.OWASP_ITERATIONS),
                25,
                10)) {
      assertThat(log.warnings()).isEmpty();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
