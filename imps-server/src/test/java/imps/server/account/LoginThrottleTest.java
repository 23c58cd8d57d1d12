package imps.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import imps.server.account.LoginThrottle.Attempt;
import imps.server.account.LoginThrottle.Limit;
import imps.testsupport.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
  private final MutableClock clock = new MutableClock();

  private LoginThrottle throttle(int free, int perAddress) {
    return new LoginThrottle(
        new LoginThrottle.Settings(
            free,
            Duration.ofSeconds(1),
            Duration.ofSeconds(30),
            perAddress,
            Duration.ofMinutes(10),
            1000),
        clock);
  }

  private static void fail(LoginThrottle t, String key, String address, int times) {
    for (int i = 0; i < times; i++) {
      Attempt a = t.reserve(key, address);
      assertThat(a.admitted()).as("attempt %d", i).isTrue();
      a.failed();
    }
  }

  @Test
  void afterTheFreeFailuresTheFailingAddressWaitsOutADelayThatDoubles() {
    LoginThrottle t = throttle(3, 1000);
    fail(t, "bob", "1.2.3.4", 3);
    assertThat(t.reserve("bob", "1.2.3.4").refusedBy()).isEqualTo(Limit.ACCOUNT);
    clock.advance(Duration.ofSeconds(1));
    fail(t, "bob", "1.2.3.4", 1); // 1 s
    clock.advance(Duration.ofMillis(1999));
    assertThat(t.reserve("bob", "1.2.3.4").admitted()).isFalse();
    clock.advance(Duration.ofMillis(1));
    fail(t, "bob", "1.2.3.4", 1); // 2 s
    clock.advance(Duration.ofMillis(3999));
    assertThat(t.reserve("bob", "1.2.3.4").admitted()).isFalse();
    clock.advance(Duration.ofMillis(1));
    assertThat(t.reserve("bob", "1.2.3.4").admitted()).isTrue(); // after 4 s
  }

  @Test
  void theDelayStopsAtItsMaximum() {
    LoginThrottle t = throttle(1, 1000);
    fail(t, "bob", "a", 1);
    for (int i = 0; i < 10; i++) {
      clock.advance(Duration.ofSeconds(30));
      fail(t, "bob", "a", 1);
    }
    clock.advance(Duration.ofSeconds(30));
    assertThat(t.reserve("bob", "a").admitted()).isTrue();
  }

  @Test
  void anAddressThatHasNotTriedTheAccountIsNeverRefusedByIt() {
    LoginThrottle t = throttle(3, 1000);
    fail(t, "bob", "1.2.3.4", 3);
    assertThat(t.reserve("bob", "1.2.3.4").admitted()).isFalse();
    Attempt fresh = t.reserve("bob", "5.6.7.8");
    assertThat(fresh.admitted()).isTrue();
    fresh.succeeded();
    // Its success leaves it clear, however often the account is attacked.
    Attempt again = t.reserve("bob", "5.6.7.8");
    assertThat(again.admitted()).isTrue();
    again.succeeded();
    // Other accounts are not affected at all.
    assertThat(t.reserve("alice", "1.2.3.4").admitted()).isTrue();
  }

  @Test
  void aFreshAddressGetsOneTryWhileTheAccountIsDelayed() {
    LoginThrottle t = throttle(3, 1000);
    fail(t, "bob", "1.2.3.4", 3);
    Attempt first = t.reserve("bob", "9.9.9.9");
    assertThat(first.admitted()).isTrue();
    assertThat(t.reserve("bob", "9.9.9.9").admitted()).as("while the first is under way").isFalse();
    first.failed();
    assertThat(t.reserve("bob", "9.9.9.9").admitted()).isFalse();
  }

  @Test
  void attemptsUnderWayCountBeforeTheyFail() {
    LoginThrottle t = throttle(5, 1000);
    List<Attempt> running = new ArrayList<>();
    int admitted = 0;
    for (int i = 0; i < 60; i++) {
      Attempt a = t.reserve("victim", "10.0.0." + (i % 3));
      if (a.admitted()) {
        admitted++;
        running.add(a);
      }
    }
    // Five, and none more: each of the three addresses made its first try among them.
    assertThat(admitted).isEqualTo(5);
    running.forEach(Attempt::failed);
    assertThat(t.reserve("victim", "10.0.0.1").admitted()).isFalse();
  }

  @Test
  void theAddressLimitIsHardAndCountsOnlyFailures() {
    LoginThrottle t = throttle(1000, 3);
    Attempt ok = t.reserve("alice", "9.9.9.9");
    ok.succeeded();
    fail(t, "a", "9.9.9.9", 1);
    fail(t, "b", "9.9.9.9", 1);
    fail(t, "c", "9.9.9.9", 1);
    assertThat(t.reserve("d", "9.9.9.9").refusedBy()).isEqualTo(Limit.ADDRESS);
    assertThat(t.reserve(null, "9.9.9.9").refusedBy()).isEqualTo(Limit.ADDRESS);
    assertThat(t.reserve("d", "8.8.8.8").admitted()).isTrue();
    // Refilled over the window: one more every 200 s.
    clock.advance(Duration.ofSeconds(200));
    assertThat(t.reserve("d", "9.9.9.9").admitted()).isTrue();
  }

  @Test
  void anIpv6AddressCountsForItsWholeSlash64() {
    LoginThrottle t = throttle(1000, 2);
    fail(t, "a", "2001:db8:1:2::1", 1);
    fail(t, "b", "2001:db8:1:2::99", 1);
    assertThat(t.reserve("c", "2001:db8:1:2:ffff::3").refusedBy()).isEqualTo(Limit.ADDRESS);
    assertThat(t.reserve("c", "2001:db8:1:3::1").admitted()).isTrue();
  }

  @Test
  void anAbandonedAttemptCountsForNothing() {
    LoginThrottle t = throttle(1, 1);
    Attempt a = t.reserve("bob", "1.1.1.1");
    a.abandoned();
    a.failed(); // settled already: ignored
    Attempt b = t.reserve("bob", "1.1.1.1");
    assertThat(b.admitted()).isTrue();
    b.failed();
    assertThat(t.reserve("bob", "1.1.1.1").admitted()).isFalse();
  }

  @Test
  void anAccountsFailuresAreForgottenAWindowAfterItsDelay() {
    LoginThrottle t = throttle(2, 1000);
    fail(t, "bob", "1.2.3.4", 2);
    clock.advance(Duration.ofSeconds(1));
    clock.advance(Duration.ofMinutes(10));
    // A clean slate: two free failures again.
    fail(t, "bob", "1.2.3.4", 2);
    assertThat(t.reserve("bob", "1.2.3.4").admitted()).isFalse();
  }
}
