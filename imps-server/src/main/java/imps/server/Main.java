package imps.server;

import ch.qos.logback.classic.LoggerContext;
import imps.server.config.ConfigException;
import imps.server.config.ConfigLoader;
import imps.server.config.ServerConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
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
    nameLogsAfterNode(cfg);
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
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "imps-shutdown"));
    stopped.await();
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
    int code = new CommandLine(new Main()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }
}
