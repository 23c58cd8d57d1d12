package imps.server;

import imps.server.config.ConfigException;
import imps.server.config.ConfigLoader;
import imps.server.config.ServerConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/** {@code imps server}: starts a server and runs until Ctrl-C or SIGTERM. */
@Command(
    name = "imps server",
    mixinStandardHelpOptions = true,
    description = "Runs the IMPS server (default: SQLite in ./data, port 7600).",
    footer = {
      "",
      "Settings are read from defaults, then --config FILE (key = value), then IMPS_* environment",
      "variables (IMPS_PORT, IMPS_DATA_DIR, ...), then flags. See docs/CONFIGURATION.md."
    })
public final class Main implements Callable<Integer> {

  @Option(names = "--config", paramLabel = "FILE", description = "Config file (Java properties).")
  Path config;

  @Option(names = "--port", paramLabel = "N", description = "TCP port; 0 picks a free one.")
  Integer port;

  @Option(names = "--host", paramLabel = "ADDR", description = "Address to bind.")
  String host;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the SQLite store lives.")
  Path dataDir;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Any other setting, e.g. --set idle-timeout=60s (repeatable).")
  Map<String, String> settings = new LinkedHashMap<>();

  @Override
  public Integer call() throws InterruptedException {
    Map<String, String> flags = new LinkedHashMap<>(settings);
    if (port != null) {
      flags.put(ServerConfig.Key.PORT.key(), port.toString());
    }
    if (host != null) {
      flags.put(ServerConfig.Key.HOST.key(), host);
    }
    if (dataDir != null) {
      flags.put(ServerConfig.Key.DATA_DIR.key(), dataDir.toString());
    }
    ServerConfig cfg;
    try {
      cfg = ConfigLoader.load(config, System.getenv(), flags);
    } catch (ConfigException e) {
      System.err.println("imps: invalid configuration: " + e.getMessage());
      return 2;
    }
    ImpsServer server;
    try {
      server = ImpsServer.start(cfg);
    } catch (StartupException e) {
      System.err.println("imps: cannot start: " + e.getMessage());
      return 4;
    }
    if (server.tlsPort() >= 0) {
      reloadTlsOnHangup(server);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runnable stop =
        () -> {
          server.close();
          stopped.countDown();
        };
    // SIGTERM and Ctrl-C drain the server and exit 0 (a supervisor sees a clean stop, where the
    // JVM's default for a signal is status 143); the hook covers any other way the JVM ends.
    stopOn("TERM", stop);
    stopOn("INT", stop);
    Runtime.getRuntime().addShutdownHook(new Thread(stop, "imps-shutdown"));
    stopped.await();
    return 0;
  }

  /** Runs {@code stop} (once, on its own thread) when the signal arrives, where the JDK can. */
  private static void stopOn(String signal, Runnable stop) {
    try {
      Signal.handle(
          new Signal(signal), s -> new Thread(stop, "imps-shutdown-" + s.getName()).start());
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      // -Xrs or no such signal: the shutdown hook still drains, and the JVM exits 128 + signal.
    }
  }

  /**
   * With TLS on, SIGHUP loads the certificate and key files again instead of stopping the JVM (its
   * default). sun.misc.Signal is the JDK's only way to handle a signal; where it is not available
   * (no SIGHUP, or the JVM runs with -Xrs) the files are still checked every tls.reload-check.
   */
  private static void reloadTlsOnHangup(ImpsServer server) {
    try {
      Signal.handle(new Signal("HUP"), signal -> server.reloadTls());
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      System.err.println("imps: SIGHUP cannot reload the TLS certificate here: " + e.getMessage());
    }
  }

  public static void main(String[] args) {
    // Exit explicitly: a thread a library left behind must not keep a stopped server's JVM up.
    System.exit(new CommandLine(new Main()).execute(args));
  }
}
