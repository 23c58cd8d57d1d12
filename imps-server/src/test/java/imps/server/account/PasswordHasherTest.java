package imps.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {
  private final PasswordHasher hasher = new PasswordHasher(64, 1);

  @Test
  void hashesAreSaltedArgon2idAndVerify() {
    String h1 = hasher.hash("secret1");
    String h2 = hasher.hash("secret1");
    assertThat(h1)
        .startsWith("$argon2id$v=19$m=64,t=1,p=1$")
        .isNotEqualTo(h2)
        .doesNotContain("secret1");
    assertThat(hasher.verify("secret1", h1)).isTrue();
    assertThat(hasher.verify("secret2", h1)).isFalse();
  }

  @Test
  void verifiesHashesMadeWithOtherCosts() {
    String strong = new PasswordHasher(1024, 2).hash("p4ssword");
    assertThat(hasher.verify("p4ssword", strong)).isTrue();
  }

  @Test
  void unreadableHashNeverVerifies() {
    assertThat(hasher.verify("x", "plain-text")).isFalse();
    assertThat(hasher.verify("x", "$2a$10$abcdefghijklmnopqrstuv")).isFalse();
  }

  /** A hash with a mark before it (an operator's ban: '!') matches no password. */
  @Test
  void markedHashNeverVerifies() {
    String h = hasher.hash("secret1");
    assertThat(hasher.verify("secret1", "!" + h)).isFalse();
    assertThat(hasher.verify("secret1", h)).isTrue();
  }
}
