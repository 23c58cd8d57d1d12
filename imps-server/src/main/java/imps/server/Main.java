package imps.server;

import ch.qos.logback.classic.LoggerContext;
import imps.server.config.ConfigException;
import imps.server.config.ConfigLoader;
import imps.server.config.ServerConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/** {@code imps server}: starts a server and runs until Ctrl-C or SIGTERM. */
@Command(
    name = "imps server",
    mixinStandardHelpOptions = true,
    versionProvider = ServerVersion.class,
    description = "Runs the IMPS server (default: SQLite in ./data, port 7600).",
    footer = {
      "",
      "Settings come from defaults, then --config FILE (key = value), then IMPS_*",
      "environment variables (IMPS_PORT, IMPS_DATA_DIR, ...), then flags; all of",
      "them are listed in docs/CONFIGURATION.md.",
      "",
      "Exit status: 0 stopped (Ctrl-C, SIGTERM); 2 invalid configuration; 3 out of",
      "memory (with the launcher's -XX:+ExitOnOutOfMemoryError); 4 cannot start:",
      "a port is taken, or the store or Redis cannot be reached."
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
  public Integer call() {
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
    nameLogsAfterNode(cfg);
    ImpsServer server;
    try {
      server = ImpsServer.start(cfg);
    } catch (StartupException e) {
      System.err.println("imps: cannot start: " + e.getMessage());
      return 4;
    }
    server.reloadFrom(() -> ConfigLoader.load(config, System.getenv(), flags));
    reloadOnHangup(server);
    Runnable stop = server::close;
    // SIGTERM and Ctrl-C drain the server and exit 0 (a supervisor sees a clean stop, where the
    // JVM's default for a signal is status 143); the hook covers any other way the JVM ends.
    stopOn("TERM", stop);
    stopOn("INT", stop);
    Runtime.getRuntime().addShutdownHook(new Thread(stop, "imps-shutdown"));
    // Stopped by a signal, or by ./imps admin drain.
    server.stopped().join();
    return 0;
  }

  /**
   * With a {@code node-id}, every log line starts with it in brackets: logback.xml prints the
   * logging context's name unless it is logback's "default", so logs of several nodes that end up
   * together stay readable.
   */
  private static void nameLogsAfterNode(ServerConfig cfg) {
    String node = cfg.get(ServerConfig.Key.NODE_ID);
    if (!node.isEmpty() && LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      try {
        context.setName(node);
      } catch (IllegalStateException e) {
        // Named already (only logback's own configuration could have): keep that name.
      }
    }
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
   * SIGHUP reads the configuration again and applies what can change live (TLS files, limits, log
   * level) instead of stopping the JVM (its default), as {@code ./imps admin reload} does.
   * sun.misc.Signal is the JDK's only way to handle a signal; where it is not available (-Xrs) the
   * TLS files are still checked every tls.reload-check.
   */
  private static void reloadOnHangup(ImpsServer server) {
    try {
      Signal.handle(
          new Signal("HUP"),
          signal -> {
            try {
              server.reload();
            } catch (IllegalArgumentException e) {
              System.err.println("imps: reload refused: " + e.getMessage());
            }
          });
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      System.err.println("imps: SIGHUP cannot reload here: " + e.getMessage());
    }
  }

  public static void main(String[] args) {
    // Exit explicitly: a thread a library left behind must not keep a stopped server's JVM up.
    System.exit(new CommandLine(new Main()).execute(args));
  }
}
