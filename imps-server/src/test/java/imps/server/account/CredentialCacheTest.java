package imps.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import imps.testsupport.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CredentialCacheTest {
  private final MutableClock clock = new MutableClock();

  @Test
  void onlyTheVerifiedPasswordOfThatUserMatches() {
    CredentialCache cache = new CredentialCache(1 << 20, Duration.ofHours(24), clock);
    assertThat(cache.matches(1, "h", "secret1")).isFalse();
    cache.remember(1, "h", "secret1");
    assertThat(cache.matches(1, "h", "secret1")).isTrue();
    assertThat(cache.matches(1, "h", "secret2")).isFalse();
    assertThat(cache.matches(2, "h", "secret1")).isFalse();
  }

  @Test
  void staysWithinItsBytes() {
    long budget = 100L * CredentialCache.ENTRY_BYTES;
    CredentialCache cache = new CredentialCache(budget, Duration.ofHours(24), clock);
    for (long id = 0; id < 10_000; id++) {
      cache.remember(id, "h", "pw" + id);
    }
    assertThat(cache.size()).isLessThanOrEqualTo(100);
    assertThat(cache.matches(9_999, "h", "pw9999")).isTrue();
  }

  @Test
  void entriesExpire() {
    CredentialCache cache = new CredentialCache(1 << 20, Duration.ofHours(24), clock);
    cache.remember(1, "h", "secret1");
    clock.advance(Duration.ofHours(23));
    assertThat(cache.matches(1, "h", "secret1")).isTrue();
    clock.advance(Duration.ofHours(1));
    assertThat(cache.matches(1, "h", "secret1")).isFalse();
  }

  @Test
  void aForgottenUserNeedsTheSlowCheckAgain() {
    CredentialCache cache = new CredentialCache(1 << 20, Duration.ofHours(24), clock);
    cache.remember(1, "h", "old-password");
    cache.remember(2, "h", "other");
    cache.forget(1);
    assertThat(cache.matches(1, "h", "old-password")).isFalse();
    assertThat(cache.matches(2, "h", "other")).isTrue();
  }

  @Test
  void aChangedStoredHashNeedsTheSlowCheckAgain() {
    // A password changed on another node: this node's entry is for the old stored hash.
    CredentialCache cache = new CredentialCache(1 << 20, Duration.ofHours(24), clock);
    cache.remember(1, "old-hash", "old-password");
    assertThat(cache.matches(1, "new-hash", "old-password")).isFalse();
    assertThat(cache.matches(1, "old-hash", "old-password")).isTrue();
  }
}
