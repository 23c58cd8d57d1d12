package imps.server.limit;

import static org.assertj.core.api.Assertions.assertThat;

import imps.testsupport.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class KeyedLimiterTest {
  private static final long MIB = 1 << 20;
  private final MutableClock clock = new MutableClock();

  /** What one IPv6 /64 key and its bucket weigh. */
  private static final int ENTRY = KeyedLimiter.entryBytes(AddressKeys.of("2001:db8:0:1::1"), null);

  @Test
  void eachKeyHasItsOwnBucket() {
    KeyedLimiter<String> l =
        new KeyedLimiter<>(TokenBucket.Rate.of(2, Duration.ofMinutes(1)), 2, MIB, clock);
    assertThat(l.tryTake("a")).isTrue();
    assertThat(l.tryTake("a")).isTrue();
    assertThat(l.tryTake("a")).isFalse();
    assertThat(l.tryTake("b", 2)).isTrue();
    assertThat(l.available("c")).isEqualTo(2);
    assertThat(l.timeUntil("a", 1)).isEqualTo(Duration.ofSeconds(30));
    clock.advance(Duration.ofSeconds(30));
    assertThat(l.tryTake("a")).isTrue();
  }

  @Test
  void refundsGiveBack() {
    KeyedLimiter<String> l =
        new KeyedLimiter<>(TokenBucket.Rate.of(1, Duration.ofMinutes(10)), 1, MIB, clock);
    assertThat(l.tryTake("a")).isTrue();
    l.refund("a", 1);
    assertThat(l.tryTake("a")).isTrue();
    assertThat(l.tryTake("a")).isFalse();
  }

  @Test
  void idleKeysAreForgottenOnceTheirBucketWouldBeFull() {
    KeyedLimiter<String> l =
        new KeyedLimiter<>(TokenBucket.Rate.of(1, Duration.ofMinutes(1)), 1, MIB, clock);
    for (int i = 0; i < 50; i++) {
      l.tryTake("k" + i);
    }
    assertThat(l.size()).isEqualTo(50);
    clock.advance(Duration.ofSeconds(61));
    assertThat(l.size()).isZero();
    assertThat(l.tryTake("k1")).isTrue();
  }

  @Test
  void aSprayOfKeysStaysWithinTheByteBudget() {
    long budget = 64 * 1024;
    KeyedLimiter<String> l =
        new KeyedLimiter<>(TokenBucket.Rate.of(1, Duration.ofHours(1)), 1, budget, clock);
    // Far more keys than fit: an attacker with a /48 has 65,536 /64s, and names can be long.
    for (int i = 0; i < 65_536; i++) {
      l.tryTake(AddressKeys.of(String.format("2001:db8:%x:%x::1", i >> 16, i & 0xffff)));
      l.tryTake("name-" + "x".repeat(i % 200) + i);
    }
    assertThat(l.weightedSize()).isLessThanOrEqualTo(budget);
    assertThat(l.size()).isLessThanOrEqualTo(budget / ENTRY).isPositive();
  }

  /**
   * The estimate per entry is not far below what the heap really holds: a spray of 400,000 keys
   * (about 80 MB if nothing bounded them, about 20 MB under the former bound of 100,000 keys) keeps
   * no more than about its 8 MiB budget reachable.
   */
  @Test
  void theHeapTheBucketsHoldStaysNearTheBudget() {
    long budget = 8 * MIB;
    long before = usedHeapAfterGc();
    KeyedLimiter<String> l =
        new KeyedLimiter<>(TokenBucket.Rate.of(1, Duration.ofHours(1)), 1, budget, clock);
    for (int i = 0; i < 400_000; i++) {
      l.tryTake(AddressKeys.of(String.format("2001:db8:%x:%x::1", i >> 16, i & 0xffff)));
    }
    long held = usedHeapAfterGc() - before;
    assertThat(l.weightedSize()).isLessThanOrEqualTo(budget);
    assertThat(held).as("heap held by the limiter").isLessThan(2 * budget);
    assertThat(l.size()).isPositive(); // keeps l reachable until here
  }

  /**
   * Eviction must not be a way to reset one's own limit: a key drained to its limit stays drained
   * while fresh keys used once, or a few times each, are sprayed through a budget many times over.
   */
  @Test
  void aDrainedKeyOutlastsASprayOfFreshKeys() {
    KeyedLimiter<String> l =
        new KeyedLimiter<>(TokenBucket.Rate.of(5, Duration.ofHours(1)), 5, 1000L * ENTRY, clock);
    String attacker = AddressKeys.of("2001:db8:ffff:1::1");
    for (int i = 0; i < 5; i++) {
      assertThat(l.tryTake(attacker)).isTrue();
    }
    for (int i = 0; i < 10; i++) {
      assertThat(l.tryTake(attacker)).isFalse();
    }
    // 50 times as many keys as fit, each used once, then 20 times as many used three times each.
    for (int i = 0; i < 50_000; i++) {
      l.tryTake(AddressKeys.of(String.format("2001:db8:1:%x::1", i)));
    }
    for (int i = 0; i < 20_000; i++) {
      String k = AddressKeys.of(String.format("2001:db8:2:%x::1", i));
      for (int use = 0; use < 3; use++) {
        l.tryTake(k);
      }
    }
    assertThat(l.available(attacker)).as("the drained key's tokens").isZero();
    assertThat(l.tryTake(attacker)).isFalse();
    assertThat(l.weightedSize()).isLessThanOrEqualTo(1000L * ENTRY);
  }

  @Test
  void concurrentSpraysStayWithinTheBudgetAndKeepTheDrainedKey() throws Exception {
    long budget = 500L * ENTRY;
    KeyedLimiter<String> l =
        new KeyedLimiter<>(TokenBucket.Rate.of(3, Duration.ofHours(1)), 3, budget, clock);
    String attacker = AddressKeys.of("2001:db8:ffff:2::1");
    for (int i = 0; i < 3; i++) {
      assertThat(l.tryTake(attacker)).isTrue();
    }
    java.util.List<Thread> threads = new java.util.ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int base = t;
      Thread th =
          new Thread(
              () -> {
                for (int i = 0; i < 25_000; i++) {
                  l.tryTake(AddressKeys.of(String.format("2001:db8:%x:%x::1", base + 10, i)));
                  if (i % 100 == 0) {
                    l.tryTake(attacker);
                  }
                }
              });
      threads.add(th);
      th.start();
    }
    for (Thread th : threads) {
      th.join();
    }
    // A sweep running while other threads insert may leave up to one entry per thread over.
    assertThat(l.weightedSize()).isLessThanOrEqualTo(budget + 4L * ENTRY);
    assertThat(l.available(attacker)).isZero();
  }

  private static long usedHeapAfterGc() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }
}
