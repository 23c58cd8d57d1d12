package imps.server.account;

import imps.protocol.Limits;
import imps.protocol.codec.ModifiedUtf8;
import java.text.Normalizer;
import java.util.Locale;

/**
 * User-name, password and e-mail rules of section 6, and the canonical name key that makes names
 * unique case-insensitively.
 */
public final class NameRules {
  private NameRules() {}

  /**
   * Whether {@code name} is a valid user name: 1–20 characters, at most 60 bytes encoded, letters
   * and digits of any script and {@code _ - .}.
   */
  public static boolean isValidName(String name) {
    int chars = name.codePointCount(0, name.length());
    if (chars < 1 || chars > Limits.USERNAME_MAX_CHARS) {
      return false;
    }
    if (ModifiedUtf8.encodedLength(name) > Limits.USERNAME_MAX_BYTES) {
      return false;
    }
    return name.codePoints()
        .allMatch(cp -> Character.isLetterOrDigit(cp) || cp == '_' || cp == '-' || cp == '.');
  }

  /**
   * The key two names share when they count as the same: Unicode NFKC, then case folding (upper
   * then lower case, which folds the cases Java's {@code toLowerCase} alone misses, such as ß and
   * ſ), then NFKC again.
   */
  public static String key(String name) {
    String n = Normalizer.normalize(name, Normalizer.Form.NFKC);
    n = n.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
    return Normalizer.normalize(n, Normalizer.Form.NFKC);
  }

  /** 6–128 characters. */
  public static boolean isValidPassword(String password) {
    int chars = password.codePointCount(0, password.length());
    return chars >= Limits.PASSWORD_MIN_CHARS && chars <= Limits.PASSWORD_MAX_CHARS;
  }

  /**
   * Empty (no e-mail given), or at most 254 characters with exactly one {@code @} that has text on
   * both sides and no whitespace or control characters.
   */
  public static boolean isValidEmail(String email) {
    if (email.isEmpty()) {
      return true;
    }
    if (email.length() > Limits.EMAIL_MAX_CHARS) {
      return false;
    }
    int at = email.indexOf('@');
    if (at <= 0 || at != email.lastIndexOf('@') || at == email.length() - 1) {
      return false;
    }
    return email
        .codePoints()
        .noneMatch(
            cp ->
                Character.isWhitespace(cp)
                    || Character.isISOControl(cp)
                    || Character.isSpaceChar(cp));
  }
}
