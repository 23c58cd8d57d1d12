package imps.server.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks secrets in connection strings before they reach a log line or an error message (review
 * findings L6, L10): the password of a URI's user information ({@code redis://user:pw@host}) and
 * any {@code password} query parameter ({@code jdbc:postgresql://host/db?password=pw}).
 */
public final class Secrets {
  /** What a secret is replaced with. */
  public static final String MASK = "****";

  // scheme://[user:]secret@  — the secret is everything between the last ':' and the '@'.
  private static final Pattern USER_INFO = Pattern.compile("(://)([^/@?#]*@)");
  private static final Pattern PASSWORD_PARAM =
      Pattern.compile("([?&;](?i:password|pass|pwd)=)([^&;#]*)");

  private Secrets() {}

  /** {@code uri} with every password in it replaced by {@link #MASK}; other text unchanged. */
  public static String redactUri(String uri) {
    if (uri == null || uri.isEmpty()) {
      return uri;
    }
    Matcher m = USER_INFO.matcher(uri);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String userInfo = m.group(2); // ends with '@'
      String body = userInfo.substring(0, userInfo.length() - 1);
      int colon = body.indexOf(':');
      // "user:secret" keeps the user; a lone token ("secret@", Lettuce's password-only form) goes.
      String masked = colon < 0 ? MASK : body.substring(0, colon + 1) + MASK;
      m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + masked + "@"));
    }
    m.appendTail(out);
    Matcher p = PASSWORD_PARAM.matcher(out.toString());
    StringBuilder out2 = new StringBuilder();
    while (p.find()) {
      p.appendReplacement(out2, Matcher.quoteReplacement(p.group(1) + MASK));
    }
    p.appendTail(out2);
    return out2.toString();
  }

  /**
   * {@code text} with every password in a URI masked ({@link #redactUri}) and every one of {@code
   * secrets} (the empty ones aside) replaced by {@link #MASK}.
   */
  public static String scrub(String text, String... secrets) {
    if (text == null) {
      return null;
    }
    String out = redactUri(text);
    for (String secret : secrets) {
      if (secret != null && !secret.isEmpty()) {
        out = out.replace(secret, MASK);
      }
    }
    return out;
  }

  /**
   * A copy of {@code t} and its causes fit to be logged: same classes (by name) and stack traces,
   * messages {@link #scrub scrubbed}; {@code null} for {@code null}. Drivers put URLs, with their
   * query parameters, into messages.
   */
  public static RuntimeException scrubbed(Throwable t, String... secrets) {
    if (t == null) {
      return null;
    }
    Scrubbed copy = new Scrubbed(t.getClass().getName() + ": " + scrub(t.getMessage(), secrets));
    copy.setStackTrace(t.getStackTrace());
    if (t.getCause() != null && t.getCause() != t) {
      copy.initCause(scrubbed(t.getCause(), secrets));
    }
    return copy;
  }

  /** An exception whose message was scrubbed of secrets; it names the original class. */
  static final class Scrubbed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Scrubbed(String message) {
      super(message);
    }
  }
}
