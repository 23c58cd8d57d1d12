package imps.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CredentialCacheTest {
  @Test
  void onlyTheVerifiedPasswordOfThatUserMatches() {
    CredentialCache cache = new CredentialCache(10);
    assertThat(cache.matches(1, "secret1")).isFalse();
    cache.remember(1, "secret1");
    assertThat(cache.matches(1, "secret1")).isTrue();
    assertThat(cache.matches(1, "secret2")).isFalse();
    assertThat(cache.matches(2, "secret1")).isFalse();
  }

  @Test
  void staysBounded() {
    CredentialCache cache = new CredentialCache(2);
    cache.remember(1, "a");
    cache.remember(2, "b");
    cache.remember(3, "c");
    assertThat(cache.matches(3, "c")).isTrue();
  }
}
