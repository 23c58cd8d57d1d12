package imps.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The field rules of section 6, as the terminal client checks them before sending. */
class InputRulesTest {
  @Test
  void names() {
    assertThat(InputRules.nameProblem("bob_1.x-y")).isNull();
    assertThat(InputRules.nameProblem("李小龙")).isNull();
    assertThat(InputRules.nameProblem("a".repeat(20))).isNull();
    assertThat(InputRules.nameProblem("a".repeat(21))).isEqualTo(InputRules.NAME_RULE);
    assertThat(InputRules.nameProblem("bob smith")).isEqualTo(InputRules.NAME_RULE);
    assertThat(InputRules.nameProblem("")).isEqualTo(InputRules.NAME_RULE);
    assertThat(InputRules.nameProblem("bob!")).isEqualTo(InputRules.NAME_RULE);
  }

  @Test
  void passwordsAndEmails() {
    assertThat(InputRules.passwordProblem("12345")).isEqualTo("a password has 6-128 characters");
    assertThat(InputRules.passwordProblem("123456")).isNull();
    assertThat(InputRules.passwordProblem("x".repeat(129))).isNotNull();
    assertThat(InputRules.emailProblem("")).isNull();
    assertThat(InputRules.emailProblem("a@b")).isNull();
    assertThat(InputRules.emailProblem("@b")).isEqualTo(InputRules.EMAIL_RULE);
    assertThat(InputRules.emailProblem("a@")).isEqualTo(InputRules.EMAIL_RULE);
    assertThat(InputRules.emailProblem("a@b@c")).isEqualTo(InputRules.EMAIL_RULE);
    assertThat(InputRules.emailProblem("a b@c")).isEqualTo(InputRules.EMAIL_RULE);
  }

  @Test
  void messages() {
    assertThat(InputRules.messageProblem("hi")).isNull();
    assertThat(InputRules.messageProblem(" hi ")).isNull();
    assertThat(InputRules.messageProblem("")).startsWith("the message is empty");
    assertThat(InputRules.messageProblem(" \t ")).startsWith("the message is blank");
  }
}
