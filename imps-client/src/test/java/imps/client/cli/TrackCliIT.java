package imps.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import imps.client.ClientsOnServer;
import imps.client.cli.CliRunner.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code ./imps track} against a real server: GPX and GeoJSON, files, refusals, exit codes. */
class TrackCliIT {
  @RegisterExtension static final ClientsOnServer env = new ClientsOnServer();
  static final CliRunner cli = new CliRunner(env);

  /** Two new friends, a and b (password secret1). */
  static String[] friends() {
    String a = cli.register(env.name("tca"));
    String b = cli.register(env.name("tcb"));
    cli.befriend(a, b);
    return new String[] {a, b};
  }

  @Test
  void exportsAFriendsTrackAsGpxAndGeoJson() throws Exception {
    String[] f = friends();
    String a = f[0];
    String b = f[1];
    assertThat(cli.run("secret1", "share", "--user", a, "23.13,113.26").code()).isZero();
    assertThat(cli.run("secret1", "share", "--user", a, "--", "-23.5,-113.25").code()).isZero();

    Run gpx =
        cli.run(
            "secret1",
            "track",
            "--user",
            b,
            a,
            "--from",
            "2000-01-01",
            "--to",
            "2100-01-01T00:00Z");
    assertThat(gpx.code()).isZero();
    assertThat(gpx.out())
        .startsWith(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<gpx version=\"1.1\" creator=\"imps\""
                + " xmlns=\"http://www.topografix.com/GPX/1/1\">\n"
                + "  <trk>\n"
                + "    <name>"
                + a
                + "</name>\n"
                + "    <trkseg>\n")
        .contains("<trkpt lat=\"23.13\" lon=\"113.26\"><time>")
        .contains("<trkpt lat=\"-23.5\" lon=\"-113.25\"><time>")
        .endsWith("    </trkseg>\n  </trk>\n</gpx>\n");
    assertThat(gpx.out())
        .containsPattern("<time>\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ</time>");
    assertThat(gpx.out().indexOf("23.13")).isLessThan(gpx.out().indexOf("-23.5"));

    Path file = env.directory().resolve("track.geojson");
    Run json =
        cli.run(
            "secret1",
            "track",
            "--user",
            b,
            a,
            "--from",
            "2000-01-01T00:00:00+08:00",
            "--to",
            "2100-01-01 00:00",
            "--format",
            "geojson",
            "-o",
            file.toString());
    assertThat(json.code()).isZero();
    assertThat(json.out()).isEqualTo("track of " + a + ": 2 points written to " + file + "\n");
    String text = Files.readString(file);
    assertThat(text)
        .startsWith(
            "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
                + "\"properties\":{\"name\":\""
                + a
                + "\",\"total\":2,\"coordTimes\":[\"")
        .contains(
            "\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[113.26,23.13],[-113.25,-23.5]]}")
        .endsWith("}}]}\n");

    // Thinned by the server to --max-points: the last fix stays.
    Run one =
        cli.run(
            "secret1",
            "track",
            "--user",
            b,
            a,
            "--from",
            "2000-01-01",
            "--to",
            "2100-01-01",
            "--format",
            "geojson",
            "--max-points",
            "1",
            "-o",
            file.toString());
    assertThat(one.out()).contains(": 1 points (thinned from 2 fixes) written to ");
    assertThat(Files.readString(file))
        .contains("\"geometry\":{\"type\":\"Point\",\"coordinates\":[-113.25,-23.5]}");

    // Nothing in the range: an empty document, still valid.
    Run none =
        cli.run(
            "secret1",
            "track",
            "--user",
            a,
            a,
            "--from",
            "2001-01-01",
            "--to",
            "2001-01-02",
            "--format",
            "geojson");
    assertThat(none)
        .isEqualTo(new Run(0, "{\"type\":\"FeatureCollection\",\"features\":[]}\n", ""));
  }

  @Test
  void aStrangersTrackIsRefusedAndBadArgumentsAreUsageErrors() {
    String[] f = friends();
    String c = env.name("tcc");
    cli.run("secret1", "register", "--user", c);
    Run refused =
        cli.run(
            "secret1", "track", "--user", c, f[0], "--from", "2000-01-01", "--to", "2100-01-01");
    assertThat(refused.code()).isEqualTo(ExitCodes.REFUSED);
    assertThat(refused.err()).contains(f[0] + " is not your friend");
    assertThat(refused.out()).isEmpty();

    Run badFormat =
        cli.run(
            "secret1",
            "track",
            "--user",
            c,
            c,
            "--from",
            "2000-01-01",
            "--to",
            "2100-01-01",
            "--format",
            "kml");
    assertThat(badFormat.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(badFormat.err()).contains("--format must be gpx or geojson");
    Run badTime =
        cli.run("secret1", "track", "--user", c, c, "--from", "yesterday", "--to", "2100-01-01");
    assertThat(badTime.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(badTime.err()).contains("cannot read the time yesterday");
    Run backwards =
        cli.run("secret1", "track", "--user", c, c, "--from", "2100-01-01", "--to", "2000-01-01");
    assertThat(backwards.code()).isEqualTo(ExitCodes.USAGE);
    Run missing = cli.run("secret1", "track", "--user", c, c, "--from", "2000-01-01");
    assertThat(missing.code()).isEqualTo(ExitCodes.USAGE);
  }
}
