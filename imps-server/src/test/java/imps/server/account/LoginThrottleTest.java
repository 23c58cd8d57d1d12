package imps.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import imps.server.account.LoginThrottle.Attempt;
import imps.server.account.LoginThrottle.Limit;
import imps.testsupport.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
            1 << 20),
        clock);
  }

  /** An attempt decided at once (not waiting for others from its address). */
  private static Attempt now(CompletableFuture<Attempt> reserved) {
    assertThat(reserved).as("decided at once").isDone();
    return reserved.join();
  }

  private static void fail(LoginThrottle t, String key, String address, int times) {
    for (int i = 0; i < times; i++) {
      Attempt a = now(t.reserve(key, address));
      assertThat(a.admitted()).as("attempt %d", i).isTrue();
      a.failed();
    }
  }

  @Test
  void afterTheFreeFailuresTheFailingAddressWaitsOutADelayThatDoubles() {
    LoginThrottle t = throttle(3, 1000);
    fail(t, "bob", "1.2.3.4", 3);
    assertThat(now(t.reserve("bob", "1.2.3.4")).refusedBy()).isEqualTo(Limit.ACCOUNT);
    clock.advance(Duration.ofSeconds(1));
    fail(t, "bob", "1.2.3.4", 1); // 1 s
    clock.advance(Duration.ofMillis(1999));
    assertThat(now(t.reserve("bob", "1.2.3.4")).admitted()).isFalse();
    clock.advance(Duration.ofMillis(1));
    fail(t, "bob", "1.2.3.4", 1); // 2 s
    clock.advance(Duration.ofMillis(3999));
    assertThat(now(t.reserve("bob", "1.2.3.4")).admitted()).isFalse();
    clock.advance(Duration.ofMillis(1));
    assertThat(now(t.reserve("bob", "1.2.3.4")).admitted()).isTrue(); // after 4 s
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
    assertThat(now(t.reserve("bob", "a")).admitted()).isTrue();
  }

  @Test
  void anAddressThatHasNotTriedTheAccountIsNeverRefusedByIt() {
    LoginThrottle t = throttle(3, 1000);
    fail(t, "bob", "1.2.3.4", 3);
    assertThat(now(t.reserve("bob", "1.2.3.4")).admitted()).isFalse();
    Attempt fresh = now(t.reserve("bob", "5.6.7.8"));
    assertThat(fresh.admitted()).isTrue();
    fresh.succeeded();
    // Its success leaves it clear, however often the account is attacked.
    Attempt again = now(t.reserve("bob", "5.6.7.8"));
    assertThat(again.admitted()).isTrue();
    again.succeeded();
    // Other accounts are not affected at all.
    assertThat(now(t.reserve("alice", "1.2.3.4")).admitted()).isTrue();
  }

  @Test
  void aFreshAddressGetsOneTryWhileTheAccountIsDelayed() {
    LoginThrottle t = throttle(3, 1000);
    fail(t, "bob", "1.2.3.4", 3);
    Attempt first = now(t.reserve("bob", "9.9.9.9"));
    assertThat(first.admitted()).isTrue();
    assertThat(now(t.reserve("bob", "9.9.9.9")).admitted())
        .as("while the first is under way")
        .isFalse();
    first.failed();
    assertThat(now(t.reserve("bob", "9.9.9.9")).admitted()).isFalse();
  }

  @Test
  void attemptsUnderWayCountBeforeTheyFail() {
    LoginThrottle t = throttle(5, 1000);
    List<Attempt> running = new ArrayList<>();
    List<CompletableFuture<Attempt>> waiting = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      CompletableFuture<Attempt> f = t.reserve("victim", "10.0.0." + (i % 3));
      if (f.isDone()) {
        assertThat(f.join().admitted()).isTrue();
        running.add(f.join());
      } else {
        waiting.add(f);
      }
    }
    // Five, and none more: each of the three addresses made its first try among them. The rest
    // wait for those five ...
    assertThat(running).hasSize(5);
    assertThat(waiting).hasSize(55);
    running.forEach(Attempt::failed);
    // ... and once they have failed, are refused: the account is delayed for these addresses.
    assertThat(waiting).allSatisfy(f -> assertThat(f.join().refusedBy()).isEqualTo(Limit.ACCOUNT));
    assertThat(now(t.reserve("victim", "10.0.0.1")).admitted()).isFalse();
  }

  @Test
  void oneUsersManyDevicesBehindOneAddressAllGetIn() {
    LoginThrottle t = throttle(5, 20);
    List<CompletableFuture<Attempt>> all = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      all.add(t.reserve("bob", "10.2.2.2"));
    }
    for (CompletableFuture<Attempt> f : all) {
      assertThat(f).isDone();
      assertThat(f.join().admitted()).isTrue();
      f.join().succeeded();
    }
  }

  @Test
  void theAddressLimitIsHardAndCountsOnlyFailures() {
    LoginThrottle t = throttle(1000, 3);
    Attempt ok = now(t.reserve("alice", "9.9.9.9"));
    ok.succeeded();
    fail(t, "a", "9.9.9.9", 1);
    fail(t, "b", "9.9.9.9", 1);
    fail(t, "c", "9.9.9.9", 1);
    assertThat(now(t.reserve("d", "9.9.9.9")).refusedBy()).isEqualTo(Limit.ADDRESS);
    assertThat(now(t.reserve(null, "9.9.9.9")).refusedBy()).isEqualTo(Limit.ADDRESS);
    assertThat(now(t.reserve("d", "8.8.8.8")).admitted()).isTrue();
    // Refilled over the window: one more every 200 s.
    clock.advance(Duration.ofSeconds(200));
    assertThat(now(t.reserve("d", "9.9.9.9")).admitted()).isTrue();
  }

  @Test
  void anIpv6AddressCountsForItsWholeSlash64() {
    LoginThrottle t = throttle(1000, 2);
    fail(t, "a", "2001:db8:1:2::1", 1);
    fail(t, "b", "2001:db8:1:2::99", 1);
    assertThat(now(t.reserve("c", "2001:db8:1:2:ffff::3")).refusedBy()).isEqualTo(Limit.ADDRESS);
    assertThat(now(t.reserve("c", "2001:db8:1:3::1")).admitted()).isTrue();
  }

  @Test
  void anAbandonedAttemptCountsForNothing() {
    LoginThrottle t = throttle(1, 1);
    Attempt a = now(t.reserve("bob", "1.1.1.1"));
    a.abandoned();
    a.failed(); // settled already: ignored
    Attempt b = now(t.reserve("bob", "1.1.1.1"));
    assertThat(b.admitted()).isTrue();
    b.failed();
    assertThat(now(t.reserve("bob", "1.1.1.1")).admitted()).isFalse();
  }

  @Test
  void anAccountsFailuresAreForgottenAWindowAfterItsDelay() {
    LoginThrottle t = throttle(2, 1000);
    fail(t, "bob", "1.2.3.4", 2);
    clock.advance(Duration.ofSeconds(1));
    clock.advance(Duration.ofMinutes(10));
    // A clean slate: two free failures again.
    fail(t, "bob", "1.2.3.4", 2);
    assertThat(now(t.reserve("bob", "1.2.3.4")).admitted()).isFalse();
  }

  @Test
  void attemptsBeyondAnAddressesTriesWaitForThoseUnderWay() {
    LoginThrottle t = throttle(1000, 2);
    Attempt a = now(t.reserve("a", "9.9.9.9"));
    Attempt b = now(t.reserve("b", "9.9.9.9"));
    CompletableFuture<Attempt> c = t.reserve("c", "9.9.9.9");
    assertThat(c).as("two tries, both under way").isNotDone();
    assertThat(t.waiting()).isEqualTo(1);
    // A success gives its try back: the waiting one goes.
    a.succeeded();
    assertThat(c).isDone();
    assertThat(c.join().admitted()).isTrue();
    // A failure uses its try up: one left, and it is under way (c), so d waits ...
    b.failed();
    CompletableFuture<Attempt> d = t.reserve("d", "9.9.9.9");
    assertThat(d).isNotDone();
    // ... and is refused once c's failure leaves the address no tries.
    c.join().failed();
    assertThat(d).isDone();
    assertThat(d.join().refusedBy()).isEqualTo(Limit.ADDRESS);
    assertThat(t.waiting()).isZero();
    assertThat(now(t.reserve("e", "9.9.9.9")).refusedBy()).isEqualTo(Limit.ADDRESS);
  }

  @Test
  void manyCorrectLoginsFromOneAddressAreDelayedNeverRefused() {
    LoginThrottle t = throttle(5, 20);
    List<CompletableFuture<Attempt>> all = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      all.add(t.reserve("user" + i, "10.1.1.1"));
    }
    // Settle each as it is admitted, in order: every one gets in.
    for (CompletableFuture<Attempt> f : all) {
      assertThat(f).isDone();
      Attempt a = f.join();
      assertThat(a.admitted()).isTrue();
      a.succeeded();
    }
    assertThat(t.waiting()).isZero();
  }

  @Test
  void aWaiterTheAccountRefusesGivesItsTryToTheNext() {
    LoginThrottle t = throttle(1, 2);
    fail(t, "bob", "7.7.7.7", 1); // bob is now delayed for this address, which has one try left
    Attempt carol = now(t.reserve("carol", "7.7.7.7"));
    CompletableFuture<Attempt> bob = t.reserve("bob", "7.7.7.7");
    CompletableFuture<Attempt> alice = t.reserve("alice", "7.7.7.7");
    assertThat(bob).isNotDone();
    assertThat(alice).isNotDone();
    carol.succeeded();
    assertThat(bob.join().refusedBy()).isEqualTo(Limit.ACCOUNT);
    assertThat(alice).isDone();
    assertThat(alice.join().admitted()).isTrue();
  }

  /**
   * The throttle's state is bounded in bytes however many names and addresses are sprayed, and the
   * spray does not reset the account being guessed at: 30,000 failed logins from 30,000 addresses
   * buy the failing address at most the one try that a fresh address gets anyway (its entry for the
   * account may be evicted, the oldest first), and the account keeps its failures, so its next
   * delay is longer still (were the account forgotten, five more guesses would go through).
   */
  @Test
  void aSprayOfNamesAndAddressesStaysInBudgetAndDoesNotResetAnAccountsDelay() {
    long budget = 64 * 1024;
    LoginThrottle t =
        new LoginThrottle(
            new LoginThrottle.Settings(
                5,
                Duration.ofMinutes(1),
                Duration.ofMinutes(10),
                1000,
                Duration.ofMinutes(10),
                budget),
            clock);
    fail(t, "victim", "2001:db8:1:1::1", 5);
    for (int i = 0; i < 3; i++) {
      assertThat(now(t.reserve("victim", "2001:db8:1:1::1")).refusedBy()).isEqualTo(Limit.ACCOUNT);
    }
    // Each sprayed name fails once, from an address (a /64) of its own: 30,000 of each.
    for (int i = 0; i < 30_000; i++) {
      Attempt a = now(t.reserve("spray" + i, String.format("2001:db8:2:%x::1", i)));
      a.failed();
    }
    assertThat(t.weightedSize()).isLessThanOrEqualTo(3 * budget);
    Attempt first = now(t.reserve("victim", "2001:db8:1:1::1"));
    if (first.admitted()) {
      first.failed();
    }
    assertThat(now(t.reserve("victim", "2001:db8:1:1::1")).refusedBy()).isEqualTo(Limit.ACCOUNT);
  }
}
