package imps.server.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Text-to-value parsers for config keys; they throw with a message that says what is expected. */
final class Parsers {
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");
  // Scheme, host (letters, digits, dots, dashes, a {s} subdomain), optional port, then a path of
  // URL characters: nothing that could break out of a Content-Security-Policy header.
  private static final Pattern TILE_URL =
      Pattern.compile(
          "https?://(\\{s\\}\\.)?[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*(:\\d{1,5})?/[A-Za-z0-9._~/{}?&=%+@:,-]*");
  private static final Set<String> SQLITE_SYNC = Set.of("OFF", "NORMAL", "FULL", "EXTRA");

  private Parsers() {}

  static int port(String s) {
    return intIn(s, 0, 65535);
  }

  static int intIn(String s, int min, int max) {
    int v;
    try {
      v = Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected an integer");
    }
    if (v < min || v > max) {
      throw new IllegalArgumentException("expected " + min + ".." + max);
    }
    return v;
  }

  /**
   * {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 30d}, or ISO-8601 ({@code PT30S}).
   */
  static Duration duration(String s) {
    Matcher m = DURATION.matcher(s.toLowerCase(Locale.ROOT));
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      return Duration.parse(s);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("expected a duration such as 30s, 5m, 30d");
    }
  }

  /**
   * Empty, or an http(s) URL template with {@code {z}}, {@code {x}} and {@code {y}} (and optionally
   * {@code {s}} for subdomains), as Leaflet takes it.
   */
  static String tileUrl(String s) {
    if (s.isEmpty()) {
      return s;
    }
    if (!TILE_URL.matcher(s).matches()) {
      throw new IllegalArgumentException(
          "expected an http(s) URL with {z}, {x} and {y}, such as"
              + " https://tile.example.org/{z}/{x}/{y}.png");
    }
    for (String p : new String[] {"{z}", "{x}", "{y}"}) {
      if (!s.contains(p)) {
        throw new IllegalArgumentException("the tile URL has no " + p);
      }
    }
    return s;
  }

  static boolean bool(String s) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0" -> false;
      default -> throw new IllegalArgumentException("expected true or false");
    };
  }

  static <E extends Enum<E>> E enumValue(Class<E> type, String s) {
    try {
      return Enum.valueOf(type, s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "expected one of "
              + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT));
    }
  }

  static String sqliteSync(String s) {
    String v = s.toUpperCase(Locale.ROOT);
    if (!SQLITE_SYNC.contains(v)) {
      throw new IllegalArgumentException("expected one of " + SQLITE_SYNC);
    }
    return v;
  }
}
