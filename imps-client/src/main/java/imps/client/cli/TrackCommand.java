package imps.client.cli;

import imps.client.ImpsClient;
import imps.client.Track;
import imps.protocol.message.TrackRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./imps track NAME --from T --to T [--format gpx|geojson] [-o FILE]}: exports the user's
 * own track or a friend's ({@code C_TRACK}) as GPX 1.1 or GeoJSON, to stdout or a file.
 */
@Command(
    name = "track",
    footer = {
      "Times: 2026-11-28T12:00:00Z or with an offset (2026-11-28T20:00:00+08:00), or local",
      "time in this computer's zone (2026-11-28 20:00, 2026-11-28 20:00:00, 2026-11-28).",
      Clips.HELP_1,
      Clips.HELP_2
    },
    description = "Export your own track or a friend's as GPX or GeoJSON.")
final class TrackCommand extends OneNameCommand {
  private static final DateTimeFormatter LOCAL =
      new DateTimeFormatterBuilder()
          .appendPattern("uuuu-MM-dd")
          .optionalStart()
          .appendLiteral(' ')
          .appendPattern("HH:mm")
          .optionalStart()
          .appendPattern(":ss")
          .optionalEnd()
          .optionalEnd()
          .parseDefaulting(ChronoField.HOUR_OF_DAY, 0)
          .parseDefaulting(ChronoField.MINUTE_OF_HOUR, 0)
          .parseDefaulting(ChronoField.SECOND_OF_MINUTE, 0)
          .toFormatter(Locale.ROOT);

  @Option(names = "--from", required = true, paramLabel = "TIME", description = "start (included)")
  String fromText;

  @Option(names = "--to", required = true, paramLabel = "TIME", description = "end (included)")
  String toText;

  @Option(
      names = "--format",
      defaultValue = "gpx",
      paramLabel = "gpx|geojson",
      description = "output format (default: ${DEFAULT-VALUE})")
  String format;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "write to FILE instead of standard output")
  Path output;

  @Option(
      names = "--max-points",
      defaultValue = "" + TrackRequest.MAX_POINTS,
      paramLabel = "N",
      description = "at most N points, thinned by the server (1.." + TrackRequest.MAX_POINTS + ")")
  int maxPoints;

  private Instant from;
  private Instant to;
  private TrackExport.Format exportFormat;

  TrackCommand(CliIo io) {
    super(io);
  }

  @Parameters(paramLabel = "NAME", description = "whose track: your own name or a friend's")
  void whose(String whose) {
    name = whose;
  }

  @Override
  Integer check() {
    try {
      exportFormat = TrackExport.Format.valueOf(format.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      io.err().println("imps: --format must be gpx or geojson: " + format);
      return ExitCodes.USAGE;
    }
    if (maxPoints < 1 || maxPoints > TrackRequest.MAX_POINTS) {
      io.err().println("imps: --max-points must be 1.." + TrackRequest.MAX_POINTS);
      return ExitCodes.USAGE;
    }
    try {
      from = parseTime(fromText, ZoneId.systemDefault());
      to = parseTime(toText, ZoneId.systemDefault());
    } catch (DateTimeException e) {
      io.err().println("imps: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    if (from.isAfter(to)) {
      io.err().println("imps: --from is after --to");
      return ExitCodes.USAGE;
    }
    return null;
  }

  @Override
  int run(ImpsClient client, PrintingListener events) throws IOException {
    Track track = client.track(name, from, to, maxPoints).join();
    String text = TrackExport.export(track, exportFormat);
    if (output == null) {
      io.out().print(text);
      io.out().flush();
      return ExitCodes.OK;
    }
    Files.writeString(output, text, StandardCharsets.UTF_8);
    io.out()
        .println(
            "track of "
                + track.user()
                + ": "
                + track.points().size()
                + " points"
                + (track.thinned() ? " (thinned from " + track.total() + " fixes)" : "")
                + " written to "
                + output);
    return ExitCodes.OK;
  }

  /**
   * A time given on the command line: ISO-8601 with {@code Z} or an offset, or a local date and
   * time (or date alone: midnight) in {@code zone}.
   *
   * @throws DateTimeException when it is none of these
   */
  static Instant parseTime(String text, ZoneId zone) {
    String s = text.strip();
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeException ignored) {
      // try the local forms
    }
    try {
      return LocalDateTime.parse(s, LOCAL).atZone(zone).toInstant();
    } catch (DateTimeException e) {
      throw new DateTimeException(
          "cannot read the time "
              + text
              + ": use 2026-11-28T12:00:00Z, 2026-11-28T20:00:00+08:00 or 2026-11-28 20:00");
    }
  }
}
