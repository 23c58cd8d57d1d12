package imps.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The launcher a user types first ({@code ./imps} at the repository root): its own options, which
 * answer without building anything. The commands it starts are tested through their classes ({@link
 * CliIT}, {@code MainTest}).
 */
class LauncherIT {
  private static final Path LAUNCHER = Path.of("..", "imps").toAbsolutePath().normalize();

  record Result(int code, String out, String err) {}

  static Result launch(String... args) throws IOException, InterruptedException {
    List<String> cmd = new java.util.ArrayList<>(List.of("bash", LAUNCHER.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), out, err);
  }

  @Test
  void versionIsTheOneOfTheCommandsItRuns() throws Exception {
    assertThat(LAUNCHER).isRegularFile();
    StringWriter out = new StringWriter();
    ImpsCli.run(
        new String[] {"chat", "--version"},
        new CliIo(
            new PrintWriter(out, true), new PrintWriter(new StringWriter()), Map.of(), p -> null));
    String version = out.toString().strip().replace("IMPS client ", "");
    for (String flag : new String[] {"--version", "-V"}) {
      Result r = launch(flag);
      assertThat(r.code()).as(flag).isZero();
      assertThat(r.out()).as(flag).isEqualTo("IMPS " + version + "\n");
      assertThat(r.err()).as(flag).isEmpty();
    }
  }

  @Test
  void helpFitsATerminalAndMistakesAreUsageErrors() throws Exception {
    Result help = launch("--help");
    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("usage: ./imps COMMAND").contains("--version");
    assertThat(help.out().lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(80));

    Result none = launch();
    assertThat(none.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(none.out()).contains("usage: ./imps COMMAND");

    Result unknown = launch("serve");
    assertThat(unknown.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(unknown.err()).startsWith("imps: unknown command 'serve'\n");
  }
}
