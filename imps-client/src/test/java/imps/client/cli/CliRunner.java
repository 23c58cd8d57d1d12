package imps.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Runs command lines of the terminal client in-process against one server, as {@link CliIT}. */
record CliRunner(int port, Path xdgData) {
  /** The result of one command line. */
  record Run(int code, String out, String err) {}

  /**
   * Runs {@code args} (the subcommand first) with {@code password} in {@code IMPS_PASSWORD} (none
   * when {@code null}); no stack trace may reach stderr.
   */
  Run run(String password, String... args) {
    Map<String, String> env = new HashMap<>();
    if (password != null) {
      env.put("IMPS_PASSWORD", password);
    }
    return runWith(env, args);
  }

  /** Runs {@code args} with these environment variables (and no terminal to ask on). */
  Run runWith(Map<String, String> environment, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Map<String, String> env = new HashMap<>(environment);
    env.put("XDG_DATA_HOME", xdgData.toString());
    String[] full = new String[args.length + 2];
    full[0] = args[0];
    full[1] = "--port=" + port;
    full[2] = "--host=127.0.0.1";
    System.arraycopy(args, 1, full, 3, args.length - 1);
    int code =
        ImpsCli.run(
            full,
            new CliIo(new PrintWriter(out, true), new PrintWriter(err, true), env, p -> null));
    Run r = new Run(code, out.toString(), err.toString());
    assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
    return r;
  }
}
