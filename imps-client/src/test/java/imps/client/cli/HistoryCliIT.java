package imps.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import imps.client.ClientsOnServer;
import imps.client.cli.CliRunner.Run;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code ./imps history} against a real server: pages newest first and back, forward from a number,
 * clips by size or as files, and the exit codes.
 */
class HistoryCliIT {
  @RegisterExtension static final ClientsOnServer env = new ClientsOnServer();
  static final String PW = ClientsOnServer.PW;
  static final CliRunner cli = new CliRunner(env);
  static final String LINE = "#(\\d+) \\[\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\] ";
  static final byte[] CLIP = {7, 6, 5, 4, 3};

  static String user(String base) {
    return cli.register(env.name(base));
  }

  /**
   * a and b, friends, with m1 (a), m2 (b), m3 (a), a clip (b), m5 (a), in that order, all
   * delivered.
   */
  static String[] conversation() throws IOException {
    String a = user("hia");
    String b = user("hib");
    cli.befriend(a, b);
    assertThat(cli.run(PW, "send", "--user", a, "--to", b, "m1").code()).isZero();
    assertThat(cli.run(PW, "send", "--user", b, "--to", a, "m2").code()).isZero();
    assertThat(cli.run(PW, "send", "--user", a, "--to", b, "m3").code()).isZero();
    Path clip = env.directory().resolve("clip-" + b + ".amr");
    Files.write(clip, CLIP);
    assertThat(cli.run(PW, "voice", "--user", b, "--to", a, clip.toString()).code()).isZero();
    assertThat(cli.run(PW, "send", "--user", a, "--to", b, "m5").code()).isZero();
    // b takes m5, so that b's history commands have nothing else to report on stderr.
    assertThat(cli.run(PW, "recv", "--user", b).out()).contains("m5");
    return new String[] {a, b};
  }

  static List<String> lines(Run r) {
    return r.out().isEmpty() ? List.of() : Arrays.asList(r.out().split("\n"));
  }

  static long id(String line) {
    return Long.parseLong(line.substring(1, line.indexOf(' ')));
  }

  @Test
  void pagesBackNewestFirstAndForwardFromANumber() throws IOException {
    String[] ab = conversation();
    String a = ab[0];
    String b = ab[1];

    Run newest = cli.run(PW, "history", "--user", a, b, "-n", "2");
    assertThat(newest.code()).isZero();
    List<String> page = lines(newest);
    assertThat(page).hasSize(2);
    assertThat(page.get(0)).matches(LINE + "me: m5");
    assertThat(page.get(1)).matches(LINE + b + ": \\(voice clip, 5 bytes\\)");
    long clipId = id(page.get(1));
    assertThat(id(page.get(0))).isGreaterThan(clipId);
    assertThat(newest.err()).isEqualTo("imps: older messages: --before " + clipId + "\n");

    Run older = cli.run(PW, "history", "--user", a, b, "--before", "" + clipId);
    assertThat(older.code()).isZero();
    List<String> rest = lines(older);
    assertThat(rest).hasSize(3);
    assertThat(rest.get(0)).matches(LINE + "me: m3");
    assertThat(rest.get(1)).matches(LINE + b + ": m2");
    assertThat(rest.get(2)).matches(LINE + "me: m1");
    assertThat(older.err()).isEqualTo("imps: start of the conversation\n");
    long first = id(rest.get(2));
    Run none = cli.run(PW, "history", "--user", a, b, "--before", "" + first);
    assertThat(none).isEqualTo(new Run(0, "", "imps: no older messages\n"));

    // Forward, oldest first, from the start and then from a number; b sees the other side.
    Run forward = cli.run(PW, "history", "--user", b, a, "--after", "0", "--count", "2");
    assertThat(forward.code()).isZero();
    List<String> start = lines(forward);
    assertThat(start).hasSize(2);
    assertThat(start.get(0)).matches(LINE + a + ": m1");
    assertThat(start.get(1)).matches(LINE + "me: m2");
    long m2 = id(start.get(1));
    assertThat(forward.err()).isEqualTo("imps: newer messages: --after " + m2 + "\n");
    Run next = cli.run(PW, "history", "--user", b, a, "--after", "" + m2, "-n", "100");
    List<String> end = lines(next);
    assertThat(end).hasSize(3);
    assertThat(end.get(0)).matches(LINE + a + ": m3");
    assertThat(end.get(1)).matches(LINE + "me: \\(voice clip, 5 bytes\\)");
    assertThat(end.get(2)).matches(LINE + a + ": m5");
    long last = id(end.get(2));
    assertThat(next.err())
        .isEqualTo("imps: that is the newest message (later ones: --after " + last + ")\n");
    assertThat(cli.run(PW, "history", "--user", b, a, "--after", "" + last))
        .isEqualTo(new Run(0, "", "imps: no newer messages\n"));
  }

  @Test
  void clipsAreWrittenAsFilesWhenAskedFor() throws IOException {
    String[] ab = conversation();
    String a = ab[0];
    String b = ab[1];
    Path clips = env.directory().resolve("clips-" + a).resolve("new");
    Run r = cli.run(PW, "history", "--user", a, b, "--clips", clips.toString());
    assertThat(r.code()).isZero();
    String clipLine =
        lines(r).stream().filter(l -> l.contains("voice clip")).findFirst().orElseThrow();
    long clipId = id(clipLine);
    Path file = clips.resolve(b + "-" + clipId + ".bin");
    assertThat(clipLine).endsWith(": (voice clip, 5 bytes) saved as " + file);
    assertThat(Files.readAllBytes(file)).isEqualTo(CLIP);
    assertThat(lines(r)).hasSize(5);
    assertThat(r.err()).isEqualTo("imps: start of the conversation\n");
    // The sender's side names the file after the sender too.
    Run mine = cli.run(PW, "history", "--user", b, a, "-n", "2", "--clips", clips.toString());
    assertThat(mine.out()).contains("saved as " + file);
  }

  @Test
  void refusalsAndUsageErrorsHaveTheirExitCodes() throws IOException {
    String a = user("hra");
    String b = user("hrb");
    assertThat(cli.run(PW, "history", "--user", a, b))
        .isEqualTo(new Run(0, "", "imps: no messages with " + b + "\n"));

    Run unknown = cli.run(PW, "history", "--user", a, env.name("nobody"));
    assertThat(unknown.code()).isEqualTo(ExitCodes.REFUSED);
    assertThat(unknown.err()).startsWith("imps: there is no user named nobody");

    Run wrongPassword = cli.run("wrong-pw", "history", "--user", a, b);
    assertThat(wrongPassword.code()).isEqualTo(ExitCodes.AUTH);
    assertThat(wrongPassword.err()).contains("wrong user name or password");

    Run zero = cli.run(PW, "history", "--user", a, b, "-n", "0");
    assertThat(zero).isEqualTo(new Run(ExitCodes.USAGE, "", "imps: -n must be 1..100\n"));
    assertThat(cli.run(PW, "history", "--user", a, b, "-n", "101").code())
        .isEqualTo(ExitCodes.USAGE);
    Run both = cli.run(PW, "history", "--user", a, b, "--before", "9", "--after", "3");
    assertThat(both)
        .isEqualTo(new Run(ExitCodes.USAGE, "", "imps: give --before or --after, not both\n"));
    assertThat(cli.run(PW, "history", "--user", a, b, "--before", "0").code())
        .isEqualTo(ExitCodes.USAGE);
    assertThat(cli.run(PW, "history", "--user", a).code()).isEqualTo(ExitCodes.USAGE);

    Path aFile = Files.writeString(env.directory().resolve("not-a-dir"), "x");
    Run badDir = cli.run(PW, "history", "--user", a, b, "--clips", aFile.toString());
    assertThat(badDir.code()).isEqualTo(ExitCodes.FAILURE);
    assertThat(badDir.err()).startsWith("imps: cannot create " + aFile);

    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    Run down =
        new CliRunner(closedPort, env.directory().resolve("xdg-data"))
            .run(PW, "history", "--user", a, b);
    assertThat(down.code()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(down.err()).contains("cannot connect to 127.0.0.1:" + closedPort);
  }
}
