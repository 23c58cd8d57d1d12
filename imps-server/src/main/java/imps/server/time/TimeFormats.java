package imps.server.time;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Optional;

/**
 * The protocol's time form {@code yyyy-MM-dd HH:mm:ss} in the server's zone. Incoming times are
 * also accepted as ISO-8601 with an offset or as epoch milliseconds, and normalised.
 */
public final class TimeFormats {
  public static final DateTimeFormatter WIRE =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withResolverStyle(ResolverStyle.STRICT);

  private final ZoneId zone;

  public TimeFormats(ZoneId zone) {
    this.zone = zone;
  }

  /** The wire form of {@code instant}, unless its year has other than four digits. */
  private Optional<String> inRange(Instant instant) {
    int year = LocalDateTime.ofInstant(instant, zone).getYear();
    return year >= 0 && year <= 9999 ? Optional.of(format(instant)) : Optional.empty();
  }

  private record Formatted(long epochSecond, String text) {}

  // Every accepted message is stamped; within one second the text is the same, so keep it.
  private volatile Formatted last = new Formatted(Long.MIN_VALUE, "");

  /** {@code instant} in the wire form, in the server's zone. */
  public String format(Instant instant) {
    Formatted f = last;
    if (f.epochSecond() == instant.getEpochSecond()) {
      return f.text();
    }
    String text = WIRE.format(LocalDateTime.ofInstant(instant, zone));
    last = new Formatted(instant.getEpochSecond(), text);
    return text;
  }

  /**
   * The instant of a time in the wire form, read in the server's zone (in a daylight-saving
   * overlap, the earlier of the two).
   *
   * @throws java.time.format.DateTimeParseException when {@code wire} is not in the wire form
   */
  public Instant instantOf(String wire) {
    return LocalDateTime.parse(wire, WIRE).atZone(zone).toInstant();
  }

  /** Parses any accepted form and returns the wire form, or empty when it is none of them. */
  public Optional<String> normalise(String text) {
    String s = text.trim();
    if (s.isEmpty() || s.length() > 64) {
      return Optional.empty();
    }
    try {
      return Optional.of(WIRE.format(LocalDateTime.parse(s, WIRE)));
    } catch (DateTimeParseException ignored) {
      // try the other forms
    }
    try {
      return inRange(OffsetDateTime.parse(s).toInstant());
    } catch (DateTimeException ignored) {
      // try the other forms
    }
    if (s.chars().allMatch(Character::isDigit) && s.length() <= 15) {
      return inRange(Instant.ofEpochMilli(Long.parseLong(s)));
    }
    return Optional.empty();
  }
}
