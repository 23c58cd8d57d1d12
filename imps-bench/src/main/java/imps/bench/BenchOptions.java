package imps.bench;

import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The options every scenario has (a picocli mixin). */
public final class BenchOptions {
  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Server address; loopback only (default ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--port",
      description = "Server port (default 7600, 7643 with --tls, 7680 with --websocket).")
  Integer port;

  @Option(
      names = "--tls",
      description =
          "Connect with TLS (1.3/1.2); the server's certificate must be for --host and from a CA"
              + " the JDK trusts, or from --ca-file.")
  boolean tls;

  @Option(
      names = "--websocket",
      description =
          "Connect over WebSocket to the server's web port (ws://HOST:PORT/ws, wss:// with --tls),"
              + " one binary message per frame, as the web client does.")
  boolean websocket;

  @Option(
      names = "--ca-file",
      paramLabel = "FILE",
      description =
          "Trust the CA certificate(s) in this PEM file (or a self-signed server certificate from"
              + " ./imps gen-cert); implies --tls.")
  Path caFile;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "JSON result file (default bench-results/SCENARIO-TIMESTAMP.json).")
  Path out;

  @Option(
      names = "--compare",
      paramLabel = "OLD.json",
      description = "Compare the metrics with an earlier result file.")
  Path compare;

  @Option(
      names = "--server-pid",
      paramLabel = "PID",
      description =
          "The server's pid, for its CPU and RSS (default: found from the listening port).")
  Long serverPid;

  @Option(
      names = "--user-prefix",
      paramLabel = "P",
      description =
          "Prefix of the user names (default: a fresh random run id; with --reuse-users a fixed one per scenario).")
  String userPrefix;

  @Option(
      names = "--reuse-users",
      description =
          "Use fixed user names, so that users (and friendships) registered by an earlier run are reused instead of paying for new password hashes.")
  boolean reuseUsers;

  @Option(
      names = "--setup-concurrency",
      defaultValue = "16",
      description =
          "Connections registering users (each hash is slow by design), and the bound for logins and friend requests in setup / 8 (default ${DEFAULT-VALUE}).")
  int setupConcurrency;

  @Option(
      names = "--io-threads",
      defaultValue = "2",
      description = "Client event loop threads (default ${DEFAULT-VALUE}).")
  int ioThreads;

  @Option(
      names = "--timeout",
      defaultValue = "600",
      paramLabel = "SECONDS",
      description = "Bound on each setup phase (default ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Option(names = "--no-progress", description = "No live progress line even on a terminal.")
  boolean noProgress;

  @Option(
      names = "--quiet",
      description = "Do not print the table (the JSON file is still written).")
  boolean quiet;

  /** Whether to speak TLS: {@code --tls} or {@code --ca-file}. */
  boolean useTls() {
    return tls || caFile != null;
  }

  /** The server port: {@code --port}, or the server's default plain, TLS or web port. */
  int port() {
    if (port != null) {
      return port;
    }
    return websocket ? 7680 : useTls() ? 7643 : 7600;
  }

  /** The bound on each setup phase (and on the other bounded waits that scale with the run). */
  Duration timeout() {
    return Duration.ofSeconds(timeoutSeconds);
  }
}
