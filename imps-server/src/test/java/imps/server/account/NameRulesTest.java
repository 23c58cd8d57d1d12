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
  void keysFollowUnicodeCaseFolding() {
    // U+1E9E capital sharp s folds to "ss", as ß does.
    assertThat(NameRules.key("straẞe")).isEqualTo(NameRules.key("straße")).isEqualTo("strasse");
    // Final and ordinary sigma, Kelvin sign and K, Cherokee small and capital letters.
    assertThat(NameRules.key("ΟΔΟΣ")).isEqualTo(NameRules.key("οδος"));
    assertThat(NameRules.key("\u212Aa")).isEqualTo(NameRules.key("ka"));
    assertThat(NameRules.key("\uAB70")).isEqualTo(NameRules.key("\u13A0"));
    // Dotless i stays with i, as the key always had it.
    assertThat(NameRules.key("ıstanbul")).isEqualTo(NameRules.key("Istanbul"));
  }

  @Test
  void oneScriptNamesAreRegistrable() {
    assertThat(NameRules.isRegistrable("alice")).isTrue();
    assertThat(NameRules.isRegistrable("пример")).isTrue();
    assertThat(NameRules.isRegistrable("李雷123")).isTrue();
    assertThat(NameRules.isRegistrable("かわいい猫")).isTrue();
    assertThat(NameRules.isRegistrable("Ελληνικά")).isTrue();
    assertThat(NameRules.isRegistrable("user_1-x.y")).isTrue();
    assertThat(NameRules.isRegistrable("straẞe")).isTrue();
  }

  @Test
  void confusableOrInvisibleNamesAreNotRegistrable() {
    assertThat(NameRules.isRegistrable("\u0430lice")).as("Cyrillic a in Latin").isFalse();
    assertThat(NameRules.isRegistrable("p\u0430yp\u0430l")).isFalse();
    assertThat(NameRules.isRegistrable("\u03B2eta")).as("Greek beta in Latin").isFalse();
    assertThat(NameRules.isRegistrable("\u115Fbob")).as("Hangul filler").isFalse();
    assertThat(NameRules.isRegistrable("\u3164")).as("only a filler").isFalse();
    assertThat(NameRules.isRegistrable("\u0661\u0662\u06F3")).as("two digit systems").isFalse();
    assertThat(NameRules.isRegistrable("bob!")).isFalse();
    // Not registrable, but a valid name: an existing account so named still logs in.
    assertThat(NameRules.isValidName("\u0430lice")).isTrue();
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
