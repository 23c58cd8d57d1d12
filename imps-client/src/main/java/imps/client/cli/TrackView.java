package imps.client.cli;

import imps.client.ImpsClient;
import imps.client.Track;
import imps.client.TrackPoint;
import imps.protocol.message.TrackRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The chat's {@code /track NAME FROM TO [FILE]}: the user's own track or a friend's ({@code
 * C_TRACK}, up to the server's 4,000 points). Without FILE it prints how many points and a summary
 * (first and last fix, distance along the points); with FILE it writes the track there as GPX, or
 * as GeoJSON when FILE ends in {@code .geojson} or {@code .json} ({@link TrackExport}, as {@code
 * ./imps track}). Times are one word each, in this computer's zone unless they say otherwise.
 */
final class TrackView {
  static final String USAGE =
      "usage: /track NAME FROM TO [FILE]   (times: 2026-11-28, 2026-11-28T20:00,"
          + " 2026-11-28T12:00:00Z or now; FILE: .gpx, or .geojson)";

  private static final DateTimeFormatter SHOWN =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT);

  private final ImpsClient client;
  private final Consumer<String> out;
  private final Clock clock;

  TrackView(ImpsClient client, Consumer<String> out, Clock clock) {
    this.client = client;
    this.out = out;
    this.clock = clock;
  }

  /**
   * Shows or writes a track; {@code rest} is {@code FROM TO [FILE]}. Times that cannot be read are
   * refused with the usage line, before anything is asked.
   */
  void show(String name, String rest) {
    String[] args = rest == null ? new String[0] : rest.strip().split("\\s+", 3);
    if (args.length < 2) {
      out.accept(USAGE);
      return;
    }
    Instant from;
    Instant to;
    try {
      from = time(args[0]);
      to = time(args[1]);
    } catch (DateTimeException e) {
      out.accept(USAGE);
      return;
    }
    if (from.isAfter(to)) {
      out.accept("error: FROM is after TO");
      return;
    }
    Track track = client.track(name, from, to, TrackRequest.MAX_POINTS).join();
    String count =
        "track of "
            + track.user()
            + ": "
            + track.points().size()
            + " points"
            + (track.thinned() ? " (thinned from " + track.total() + " fixes)" : "");
    if (args.length == 3) {
      write(track, Path.of(args[2]), count);
      return;
    }
    if (track.points().isEmpty()) {
      out.accept("no fixes of " + track.user() + " between " + shown(from) + " and " + shown(to));
      return;
    }
    out.accept(count);
    out.accept("  " + summary(track.points()));
  }

  private void write(Track track, Path file, String count) {
    String lower = file.getFileName().toString().toLowerCase(Locale.ROOT);
    TrackExport.Format format =
        lower.endsWith(".geojson") || lower.endsWith(".json")
            ? TrackExport.Format.GEOJSON
            : TrackExport.Format.GPX;
    try {
      Files.writeString(file, TrackExport.export(track, format), StandardCharsets.UTF_8);
    } catch (IOException e) {
      out.accept("error: cannot write " + file + ": " + e.getMessage());
      return;
    }
    out.accept(count + " written to " + file + " (" + format.name() + ")");
  }

  /** First and last fix, and the distance along the points. */
  private String summary(List<TrackPoint> points) {
    TrackPoint first = points.get(0);
    TrackPoint last = points.get(points.size() - 1);
    if (points.size() == 1) {
      return "at " + fix(first);
    }
    double metres = 0;
    for (int i = 1; i < points.size(); i++) {
      metres += Geo.distanceMetres(points.get(i - 1).position(), points.get(i).position());
    }
    return "from "
        + fix(first)
        + " to "
        + fix(last)
        + ", "
        + Geo.distanceText(metres)
        + " along the points";
  }

  private String fix(TrackPoint p) {
    return p.position() + " (" + shown(p.time()) + ")";
  }

  private String shown(Instant t) {
    return SHOWN.format(t.atZone(clock.getZone()));
  }

  /**
   * A time typed in the chat: {@code now}, or as {@code ./imps track} reads it ({@link
   * TrackCommand#parseTime}), with {@code T} between a local date and time (one word).
   */
  Instant time(String word) {
    if (word.equalsIgnoreCase("now")) {
      return clock.instant();
    }
    ZoneId zone = clock.getZone();
    try {
      return TrackCommand.parseTime(word, zone);
    } catch (DateTimeException e) {
      int t = word.indexOf('T');
      if (t > 0) {
        return TrackCommand.parseTime(word.substring(0, t) + " " + word.substring(t + 1), zone);
      }
      throw e;
    }
  }
}
