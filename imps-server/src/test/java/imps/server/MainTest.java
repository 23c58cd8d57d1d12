package imps.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line refuses invalid configuration with a clear message and exit code 2. */
class MainTest {
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
        .contains("--set");
  }
}
