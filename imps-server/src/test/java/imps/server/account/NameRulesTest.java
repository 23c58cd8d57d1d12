package imps.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NameRulesTest {
  @Test
  void validNames() {
    assertThat(NameRules.isValidName("alice")).isTrue();
    assertThat(NameRules.isValidName("a")).isTrue();
    assertThat(NameRules.isValidName("李雷")).isTrue();
    assertThat(NameRules.isValidName("user_1-x.y")).isTrue();
    assertThat(NameRules.isValidName("a".repeat(20))).isTrue();
    assertThat(NameRules.isValidName("好".repeat(20))).isTrue(); // 60 bytes
  }

  @Test
  void invalidNames() {
    assertThat(NameRules.isValidName("")).isFalse();
    assertThat(NameRules.isValidName("a".repeat(21))).isFalse();
    assertThat(NameRules.isValidName("a b")).isFalse();
    assertThat(NameRules.isValidName("a\tb")).isFalse();
    assertThat(NameRules.isValidName("a@b")).isFalse();
    assertThat(NameRules.isValidName("😀")).isFalse();
    assertThat(NameRules.isValidName("𠀀".repeat(11))).isFalse(); // 66 bytes
  }

  @Test
  void keysFoldCaseAndCompatibilityForms() {
    assertThat(NameRules.key("Alice")).isEqualTo(NameRules.key("aLICE"));
    assertThat(NameRules.key("ｂｏｂ")).isEqualTo(NameRules.key("bob")); // fullwidth
    assertThat(NameRules.key("STRASSE")).isEqualTo(NameRules.key("straße"));
    assertThat(NameRules.key("alice")).isNotEqualTo(NameRules.key("alice1"));
  }

  @Test
  void passwordsAndEmails() {
    assertThat(NameRules.isValidPassword("12345")).isFalse();
    assertThat(NameRules.isValidPassword("123456")).isTrue();
    assertThat(NameRules.isValidPassword("x".repeat(128))).isTrue();
    assertThat(NameRules.isValidPassword("x".repeat(129))).isFalse();
    assertThat(NameRules.isValidEmail("")).isTrue();
    assertThat(NameRules.isValidEmail("a@example.org")).isTrue();
    assertThat(NameRules.isValidEmail("a@b@c")).isFalse();
    assertThat(NameRules.isValidEmail("@b")).isFalse();
    assertThat(NameRules.isValidEmail("a@")).isFalse();
    assertThat(NameRules.isValidEmail("a b@c")).isFalse();
    assertThat(NameRules.isValidEmail("a@" + "x".repeat(253))).isFalse();
  }
}
