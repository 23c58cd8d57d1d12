package imps.server.config;

import imps.server.limit.TokenBucket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text forms of config values: parsers that throw with a message saying what is expected, and
 * the inverse for durations. Parsers check the form only; what a setting accepts beyond its type is
 * a {@link Rule}.
 */
final class Parsers {
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");
  // Scheme, host (letters, digits, dots, dashes, a {s} subdomain), optional port, then a path of
  // URL characters: nothing that could break out of a Content-Security-Policy header.
  private static final Pattern TILE_URL =
      Pattern.compile(
          "https?://(\\{s\\}\\.)?[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*(:\\d{1,5})?/[A-Za-z0-9._~/{}?&=%+@:,-]*");

  private Parsers() {}

  static int integer(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected an integer");
    }
  }

  /**
   * {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 30d}, or ISO-8601 ({@code PT30S}).
   */
  static Duration duration(String s) {
    Matcher m = DURATION.matcher(s.toLowerCase(Locale.ROOT));
    try {
      if (!m.matches()) {
        return Duration.parse(s);
      }
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    } catch (RuntimeException e) { // not a duration, or too long for one
      throw new IllegalArgumentException("expected a duration such as 30s, 5m, 30d");
    }
  }

  /**
   * A duration as {@link #duration} reads it, in the largest unit that holds it exactly ({@code
   * 30s}, {@code 3m}, {@code 30d}); ISO-8601 when none does (negative, below a millisecond, or
   * beyond what milliseconds count).
   */
  static String durationText(Duration d) {
    long ms;
    try {
      ms = d.toMillis();
    } catch (ArithmeticException e) {
      return d.toString();
    }
    if (d.isNegative() || d.getNano() % 1_000_000 != 0) {
      return d.toString();
    }
    if (ms == 0) {
      return "0s";
    }
    for (Unit u : Unit.values()) {
      if (ms % u.millis == 0) {
        return ms / u.millis + u.suffix;
      }
    }
    return ms + "ms";
  }

  /** The units of {@link #durationText} above milliseconds, largest first. */
  private enum Unit {
    DAYS("d", 86_400_000L),
    HOURS("h", 3_600_000L),
    MINUTES("m", 60_000L),
    SECONDS("s", 1_000L);

    final String suffix;
    final long millis;

    Unit(String suffix, long millis) {
      this.suffix = suffix;
      this.millis = millis;
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

  /**
   * A rate as {@code N/period}: {@code 30/1m} is 30 at once, and 30 more every minute ({@code 30/m}
   * is the same). N is also the burst: a bucket holds at most what one period gives back.
   */
  static TokenBucket.Rate rate(String s) {
    int slash = s.indexOf('/');
    long n;
    try {
      n = slash < 0 ? -1 : Long.parseLong(s.substring(0, slash).trim());
    } catch (NumberFormatException e) {
      n = -1;
    }
    if (n < 1) {
      throw new IllegalArgumentException("expected a rate such as 30/1m (count/period)");
    }
    String period = s.substring(slash + 1).trim();
    if (!period.isEmpty() && Character.isLetter(period.charAt(0))) {
      period = "1" + period;
    }
    return TokenBucket.Rate.of(n, duration(period));
  }

  /** A rate as {@link #rate} reads it. */
  static String rateText(TokenBucket.Rate r) {
    return r.tokens() + "/" + durationText(r.per());
  }

  static boolean bool(String s) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0" -> false;
      default -> throw new IllegalArgumentException("expected true or false");
    };
  }

  /** An enum constant by its name in any case; settings write them in lower case. */
  static <E extends Enum<E>> E enumValue(Class<E> type, String s) {
    try {
      return Enum.valueOf(type, s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "expected one of " + Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT));
    }
  }
}
