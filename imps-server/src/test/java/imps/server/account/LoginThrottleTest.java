package imps.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import imps.testsupport.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
  @Test
  void perUserLimitThenWindowExpires() {
    MutableClock clock = new MutableClock();
    LoginThrottle t = new LoginThrottle(clock, 3, 100, Duration.ofMinutes(1));
    for (int i = 0; i < 3; i++) {
      assertThat(t.allowed("bob", "1.2.3.4")).isTrue();
      t.failed("bob", "1.2.3.4");
    }
    assertThat(t.allowed("bob", "5.6.7.8")).isFalse();
    assertThat(t.allowed("alice", "1.2.3.4")).isTrue();
    clock.advance(Duration.ofSeconds(61));
    assertThat(t.allowed("bob", "1.2.3.4")).isTrue();
  }

  @Test
  void perAddressLimit() {
    MutableClock clock = new MutableClock();
    LoginThrottle t = new LoginThrottle(clock, 100, 2, Duration.ofMinutes(1));
    t.failed("a", "9.9.9.9");
    t.failed("b", "9.9.9.9");
    assertThat(t.allowed("c", "9.9.9.9")).isFalse();
    assertThat(t.allowed("c", "8.8.8.8")).isTrue();
  }

  @Test
  void successClearsTheUserCount() {
    LoginThrottle t = new LoginThrottle(new MutableClock(), 2, 100, Duration.ofMinutes(1));
    t.failed("bob", "x");
    t.succeeded("bob");
    t.failed("bob", "x");
    assertThat(t.allowed("bob", "x")).isTrue();
  }
}
