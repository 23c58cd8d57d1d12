package imps.server.limit;

import static org.assertj.core.api.Assertions.assertThat;

import imps.testsupport.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class KeyedLimiterTest {
  private final MutableClock clock = new MutableClock();

  @Test
  void eachKeyHasItsOwnBucket() {
    KeyedLimiter<String> l =
        new KeyedLimiter<>(TokenBucket.Rate.of(2, Duration.ofMinutes(1)), 2, 100, clock);
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
        new KeyedLimiter<>(TokenBucket.Rate.of(1, Duration.ofMinutes(10)), 1, 100, clock);
    assertThat(l.tryTake("a")).isTrue();
    l.refund("a", 1);
    assertThat(l.tryTake("a")).isTrue();
    assertThat(l.tryTake("a")).isFalse();
  }

  @Test
  void idleKeysAreForgottenOnceTheirBucketWouldBeFull() {
    KeyedLimiter<String> l =
        new KeyedLimiter<>(TokenBucket.Rate.of(1, Duration.ofMinutes(1)), 1, 100, clock);
    for (int i = 0; i < 50; i++) {
      l.tryTake("k" + i);
    }
    assertThat(l.size()).isEqualTo(50);
    clock.advance(Duration.ofSeconds(61));
    assertThat(l.size()).isZero();
    assertThat(l.tryTake("k1")).isTrue();
  }

  @Test
  void keepsAtMostMaxKeys() {
    KeyedLimiter<String> l =
        new KeyedLimiter<>(TokenBucket.Rate.of(1, Duration.ofHours(1)), 1, 10, clock);
    for (int i = 0; i < 1000; i++) {
      l.tryTake("k" + i);
    }
    assertThat(l.size()).isLessThanOrEqualTo(10);
  }
}
