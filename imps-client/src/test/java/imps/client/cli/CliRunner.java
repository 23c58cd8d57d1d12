package imps.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import imps.client.ClientsOnServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/** Runs command lines of the terminal client in-process against one server, as {@link CliIT}. */
final class CliRunner {
  /** The result of one command line. */
  record Run(int code, String out, String err) {}

  private final IntSupplier port;
  private final Supplier<Path> xdgData;

  /**
   * On the server of {@code env}, with clips received without {@code --save-dir} kept in its
   * directory; both looked up at each run, so that a static field can hold the runner before the
   * server starts.
   */
  CliRunner(ClientsOnServer env) {
    this(env::port, () -> env.directory().resolve("xdg-data"));
  }

  /**
   * As {@link #CliRunner(ClientsOnServer)}, on the TLS port of {@code env} ({@link
   * ClientsOnServer#withTls}).
   */
  static CliRunner overTls(ClientsOnServer env) {
    return new CliRunner(env::tlsPort, () -> env.directory().resolve("xdg-data"));
  }

  /** On {@code port}, with clips received without {@code --save-dir} kept in {@code xdgData}. */
  CliRunner(int port, Path xdgData) {
    this(() -> port, () -> xdgData);
  }

  private CliRunner(IntSupplier port, Supplier<Path> xdgData) {
    this.port = port;
    this.xdgData = xdgData;
  }

  /** Registers {@code name} with {@link ClientsOnServer#PW}; returns the name. */
  String register(String name) {
    assertThat(run(ClientsOnServer.PW, "register", "--user", name).code()).isZero();
    return name;
  }

  /** Makes the registered users {@code a} and {@code b} friends: a asks, b accepts. */
  void befriend(String a, String b) {
    assertThat(run(ClientsOnServer.PW, "add", "--user", a, b).code()).isZero();
    assertThat(run(ClientsOnServer.PW, "accept", "--user", b, a).code()).isZero();
  }

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
    env.put("XDG_DATA_HOME", xdgData.get().toString());
    String[] full = new String[args.length + 2];
    full[0] = args[0];
    full[1] = "--port=" + port.getAsInt();
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
