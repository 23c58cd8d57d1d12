package imps.bench;

import java.security.SecureRandom;

/** User names for benchmark runs: 1-20 characters of letters, digits, '_', '-', '.'. */
public final class Names {
  private static final SecureRandom RANDOM = new SecureRandom();
  static final int MAX_CHARS = 20;

  private Names() {}

  /** A fresh 5-character base-36 run id (60 million values: collisions are negligible). */
  public static String runId() {
    StringBuilder sb = new StringBuilder();
    String digits = "0123456789abcdefghijklmnopqrstuvwxyz";
    sb.append(digits.charAt(10 + RANDOM.nextInt(26))); // start with a letter
    for (int i = 0; i < 4; i++) {
      sb.append(digits.charAt(RANDOM.nextInt(36)));
    }
    return sb.toString();
  }

  /** Whether {@code prefix} followed by up to {@code digits} digits is a valid name. */
  public static boolean fits(String prefix, int digits) {
    if (prefix.length() + digits > MAX_CHARS) {
      return false;
    }
    for (int i = 0; i < prefix.length(); i++) {
      char c = prefix.charAt(i);
      if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.') || c > 127) {
        return false;
      }
    }
    return true;
  }
}
