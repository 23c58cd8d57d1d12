package imps.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The command line: invalid configuration is refused with a clear message and exit code 2, a port
 * that is taken with one line naming it and exit code 4, and {@code --version} prints the version.
 */
class MainTest {
  @TempDir Path data;

  @Test
  void aPortInUseIsOneClearLineAndExitCodeFour() throws IOException {
    PrintStream old = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      int code =
          new CommandLine(new Main())
              .execute(
                  "--host",
                  "127.0.0.1",
                  "--port",
                  String.valueOf(port),
                  "--data-dir",
                  data.toString(),
                  "--set",
                  "web.enabled=false");
      assertThat(code).isEqualTo(4);
      String text = err.toString(StandardCharsets.UTF_8);
      assertThat(text.lines().filter(l -> l.startsWith("imps: ")).toList())
          .singleElement()
          .asString()
          .contains("cannot start")
          .contains("127.0.0.1:" + port)
          .containsIgnoringCase("in use");
      assertThat(text).doesNotContain("Exception").doesNotContain("\tat ");
    } finally {
      System.setErr(old);
    }
  }

  @Test
  void versionPrintsTheVersion() {
    StringWriter out = new StringWriter();
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(new PrintWriter(out));
    assertThat(cl.execute("--version")).isZero();
    assertThat(out.toString()).matches("IMPS server \\d+\\.\\d+\\.\\d+\\S*\\s*");
  }

  @Test
  void invalidSettingStopsWithMessage() {
    PrintStream old = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int code = new CommandLine(new Main()).execute("--port", "70000");
      assertThat(code).isEqualTo(2);
      assertThat(err.toString(StandardCharsets.UTF_8))
          .contains("invalid configuration")
          .contains("port")
          .contains("0..65535");
      err.reset();
      code = new CommandLine(new Main()).execute("--set", "idle-timout=5s");
      assertThat(code).isEqualTo(2);
      assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown setting 'idle-timout'");
    } finally {
      System.setErr(old);
    }
  }

  @Test
  void helpListsTheOptions() {
    CommandLine cl = new CommandLine(new Main());
    String usage = cl.getUsageMessage();
    assertThat(usage)
        .contains("--port")
        .contains("--data-dir")
        .contains("--config")
        .contains("--set")
        .contains("Exit status: 0 stopped");
    // picocli wraps at 80 columns: a longer footer line would break mid-word.
    assertThat(usage.lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(80));
  }

  @Test
  void anUnreachableDatabaseIsOneClearLineAndExitCodeFour() {
    assertStartFailure(
        "cannot connect to PostgreSQL at jdbc:postgresql://127.0.0.1:1/imps",
        "--set",
        "store=postgres",
        "--set",
        "postgres.url=jdbc:postgresql://127.0.0.1:1/imps");
  }

  @Test
  void aTakenAdminPortIsOneClearLineAndExitCodeFour() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertStartFailure(
          "127.0.0.1:" + taken.getLocalPort(),
          "--port",
          "0",
          "--set",
          "admin.port=" + taken.getLocalPort());
    }
  }

  /** The server does not start: exit status 4 and one line on stderr containing {@code what}. */
  private void assertStartFailure(String what, String... args) {
    PrintStream old = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      String[] all = new String[args.length + 6];
      System.arraycopy(
          new String[] {
            "--host", "127.0.0.1", "--data-dir", data.toString(), "--set", "web.enabled=false"
          },
          0,
          all,
          0,
          6);
      System.arraycopy(args, 0, all, 6, args.length);
      int code = new CommandLine(new Main()).execute(all);
      String text = err.toString(StandardCharsets.UTF_8);
      assertThat(code).as(text).isEqualTo(4);
      assertThat(text.lines().filter(l -> l.startsWith("imps: ")).toList())
          .singleElement()
          .asString()
          .startsWith("imps: cannot start: ")
          .contains(what);
      assertThat(text).doesNotContain("Exception").doesNotContain("\tat ");
    } finally {
      System.setErr(old);
    }
  }
}
