package imps.server.account;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.lang.UProperty;
import com.ibm.icu.text.Normalizer2;
import com.ibm.icu.text.SpoofChecker;
import imps.protocol.Limits;
import imps.protocol.codec.ModifiedUtf8;
import java.text.Normalizer;
import java.util.Locale;

/**
 * User-name, password and e-mail rules of section 6, the canonical name key that makes names unique
 * under Unicode case folding and compatibility forms, and what a new name must also be to be
 * registered (not confusable across scripts).
 */
public final class NameRules {
  private static final Normalizer2 NFKC_CASEFOLD = Normalizer2.getNFKCCasefoldInstance();

  /**
   * UTS #39 checks for new names: the "moderately restrictive" level (one script, or Latin with one
   * other script but Cyrillic and Greek, whose letters pass for Latin ones), no invisible
   * characters, one digit system. Thread-safe once built.
   */
  private static final SpoofChecker SPOOF =
      new SpoofChecker.Builder()
          .setRestrictionLevel(SpoofChecker.RestrictionLevel.MODERATELY_RESTRICTIVE)
          .setChecks(
              SpoofChecker.RESTRICTION_LEVEL | SpoofChecker.INVISIBLE | SpoofChecker.MIXED_NUMBERS)
          .build();

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
   * The key two names share when they count as the same: NFKC, upper case, then Unicode's
   * NFKC_Casefold (ICU), which folds case fully and canonically: {@code straße}, {@code straẞe} and
   * {@code STRASSE} share a key, as do fullwidth and ordinary letters. The upper-casing first also
   * puts dotless {@code ı} with {@code i} (full case folding alone keeps them apart), as the key
   * always did, so that {@code alıce} cannot pass for {@code alice}.
   */
  public static String key(String name) {
    String n = Normalizer.normalize(name, Normalizer.Form.NFKC).toUpperCase(Locale.ROOT);
    return NFKC_CASEFOLD.normalize(n);
  }

  /**
   * Whether {@code name} may be registered: a valid name ({@link #isValidName}) that has no
   * invisible (default-ignorable) characters, such as the Hangul fillers that count as letters, and
   * that does not mix scripts in a way UTS #39 calls confusable (a Cyrillic {@code а} among Latin
   * letters). Existing accounts are not held to this: they log in with {@link #isValidName}.
   */
  public static boolean isRegistrable(String name) {
    if (!isValidName(name)) {
      return false;
    }
    if (name.codePoints()
        .anyMatch(cp -> UCharacter.hasBinaryProperty(cp, UProperty.DEFAULT_IGNORABLE_CODE_POINT))) {
      return false;
    }
    return !key(name).isEmpty() && !SPOOF.failsChecks(name);
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
