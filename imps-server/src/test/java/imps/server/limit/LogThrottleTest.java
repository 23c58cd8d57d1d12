package imps.server.limit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LogThrottleTest {
  @Test
  void theFirstEventIsLoggedAndTheRestOfTheIntervalCounted() {
    LogThrottle t = new LogThrottle(Duration.ofDays(1));
    assertThat(t.admit()).isZero();
    for (int i = 0; i < 1000; i++) {
      assertThat(t.admit()).isEqualTo(-1);
    }
  }

  @Test
  void afterTheIntervalTheNextSaysHowManyWereLeftOut() {
    LogThrottle t = new LogThrottle(Duration.ZERO);
    assertThat(t.admit()).isZero();
    assertThat(t.admit()).isZero();
  }
}
