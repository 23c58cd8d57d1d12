package imps.server.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
  private static final long T0 = 1_764_331_200_000L;

  @Test
  void aFullBucketGivesItsBurstThenRefusesWithoutTakingAnything() {
    TokenBucket b = new TokenBucket(TokenBucket.Rate.of(30, Duration.ofMinutes(1)), 3);
    assertThat(b.available(T0)).isEqualTo(3);
    assertThat(b.tryTake(1, T0)).isTrue();
    assertThat(b.tryTake(2, T0)).isTrue();
    assertThat(b.tryTake(1, T0)).isFalse();
    assertThat(b.available(T0)).isZero();
    assertThat(b.isFull(T0)).isFalse();
  }

  @Test
  void tokensComeBackAtTheRate() {
    // 30 a minute: one every 2 s.
    TokenBucket b = new TokenBucket(TokenBucket.Rate.of(30, Duration.ofMinutes(1)), 3);
    assertThat(b.tryTake(3, T0)).isTrue();
    assertThat(b.timeUntil(1, T0)).isEqualTo(Duration.ofSeconds(2));
    assertThat(b.tryTake(1, T0 + 1_999)).isFalse();
    assertThat(b.tryTake(1, T0 + 2_000)).isTrue();
    assertThat(b.available(T0 + 2_000)).isZero();
    assertThat(b.available(T0 + 6_000)).isEqualTo(2);
    assertThat(b.isFull(T0 + 8_000)).isTrue();
    // Never more than the burst, however long it rests.
    assertThat(b.available(T0 + 3_600_000)).isEqualTo(3);
    assertThat(b.tryTake(4, T0 + 3_600_000)).isFalse();
  }

  @Test
  void aRefundGivesTokensBackButNeverBeyondFull() {
    TokenBucket b = new TokenBucket(TokenBucket.Rate.of(1, Duration.ofMinutes(10)), 1);
    assertThat(b.tryTake(1, T0)).isTrue();
    assertThat(b.tryTake(1, T0 + 1_000)).isFalse();
    b.refund(1, T0 + 1_000);
    assertThat(b.tryTake(1, T0 + 1_000)).isTrue();
    b.refund(5, T0 + 2_000);
    assertThat(b.available(T0 + 2_000)).isEqualTo(1);
  }

  @Test
  void timeToFillIsTheBurstAtTheRate() {
    assertThat(new TokenBucket(TokenBucket.Rate.of(20, Duration.ofMinutes(10)), 20).timeToFill())
        .isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void refusesMeaninglessSettings() {
    assertThatThrownBy(() -> TokenBucket.Rate.of(0, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TokenBucket.Rate.of(1, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TokenBucket(TokenBucket.Rate.of(1, Duration.ofSeconds(1)), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
