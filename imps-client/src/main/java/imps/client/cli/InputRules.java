package imps.client.cli;

import imps.protocol.Limits;
import imps.protocol.codec.ModifiedUtf8;

/**
 * The rules of section 6 of the protocol for what a user types (name, password, e-mail, message),
 * checked before anything is sent so that the user hears at once which field is wrong. The server
 * checks the same rules; it has the last word.
 */
final class InputRules {
  static final String NAME_RULE =
      "a user name has 1-"
          + Limits.USERNAME_MAX_CHARS
          + " letters, digits, '_', '-' or '.' (no spaces)";
  static final String PASSWORD_RULE =
      "a password has "
          + Limits.PASSWORD_MIN_CHARS
          + "-"
          + Limits.PASSWORD_MAX_CHARS
          + " characters";
  static final String EMAIL_RULE =
      "an email is empty or has one '@' with text on both sides, and no spaces";

  private InputRules() {}

  /** What is wrong with a user name, or {@code null} when it is valid. */
  static String nameProblem(String name) {
    int chars = name.codePointCount(0, name.length());
    boolean ok =
        chars >= 1
            && chars <= Limits.USERNAME_MAX_CHARS
            && ModifiedUtf8.encodedLength(name) <= Limits.USERNAME_MAX_BYTES
            && name.codePoints()
                .allMatch(
                    cp -> Character.isLetterOrDigit(cp) || cp == '_' || cp == '-' || cp == '.');
    return ok ? null : NAME_RULE;
  }

  /** What is wrong with a new password, or {@code null} when it is valid. */
  static String passwordProblem(String password) {
    int chars = password.codePointCount(0, password.length());
    return chars >= Limits.PASSWORD_MIN_CHARS && chars <= Limits.PASSWORD_MAX_CHARS
        ? null
        : PASSWORD_RULE;
  }

  /** What is wrong with an e-mail address, or {@code null} when it is valid (or empty). */
  static String emailProblem(String email) {
    if (email.isEmpty()) {
      return null;
    }
    int at = email.indexOf('@');
    boolean ok =
        email.length() <= Limits.EMAIL_MAX_CHARS
            && at > 0
            && at == email.lastIndexOf('@')
            && at < email.length() - 1
            && email
                .codePoints()
                .noneMatch(
                    cp ->
                        Character.isWhitespace(cp)
                            || Character.isISOControl(cp)
                            || Character.isSpaceChar(cp));
    return ok ? null : EMAIL_RULE;
  }

  /**
   * What is wrong with a message text, or {@code null} when it can be sent. The protocol allows a
   * text of spaces only; the terminal client refuses it as surely typed by mistake.
   */
  static String messageProblem(String text) {
    if (text.isEmpty()) {
      return "the message is empty; nothing was sent";
    }
    if (text.isBlank()) {
      return "the message is blank (only spaces); nothing was sent";
    }
    return null;
  }
}
