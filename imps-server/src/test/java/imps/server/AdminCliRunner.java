package imps.server;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs {@code imps admin} in this JVM, as a user would from a shell, and captures its output. */
public final class AdminCliRunner {
  /** Exit status and output. */
  public record Result(int status, String out, String err) {}

  private AdminCliRunner() {}

  /** {@code imps admin --url URL --data-dir DIR WORDS...} (the token comes from the data dir). */
  public static Result run(String url, Path dataDir, String... words) {
    List<String> args = new ArrayList<>(List.of("--url", url, "--data-dir", dataDir.toString()));
    args.addAll(List.of(words));
    return runArgs(args);
  }

  /** {@code imps admin ARGS...}, the options included. */
  public static Result runArgs(List<String> args) {
    AdminCli cli = new AdminCli();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    cli.out = new PrintStream(out, true, StandardCharsets.UTF_8);
    cli.err = new PrintStream(err, true, StandardCharsets.UTF_8);
    int status = AdminCli.commandLine(cli).execute(args.toArray(String[]::new));
    return new Result(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
