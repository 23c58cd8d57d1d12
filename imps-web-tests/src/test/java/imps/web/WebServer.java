package imps.web;

import imps.server.ImpsServer;
import imps.server.config.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.UnaryOperator;

/**
 * A real server for the browser tests: fresh data directory, ports chosen by the system, cheap
 * password hashing. {@link #restart()} stops it and starts it again on the same ports and data.
 */
final class WebServer implements AutoCloseable {
  static final String PASSWORD = "secret1";

  private final Path dataDir;
  private final UnaryOperator<ServerConfig.Builder> settings;
  private ImpsServer server;

  private WebServer(Path dataDir, UnaryOperator<ServerConfig.Builder> settings) {
    this.dataDir = dataDir;
    this.settings = settings;
  }

  static WebServer start() throws IOException {
    return start(b -> b);
  }

  static WebServer start(UnaryOperator<ServerConfig.Builder> settings) throws IOException {
    WebServer s = new WebServer(Files.createTempDirectory("imps-web-it"), settings);
    s.server = ImpsServer.start(s.config(0, 0), Clock.systemUTC());
    return s;
  }

  private ServerConfig config(int port, int webPort) {
    return settings
        .apply(
            ServerConfig.builder()
                .host("127.0.0.1")
                .port(port)
                .dataDir(dataDir)
                .with(ServerConfig.Key.WEB_PORT, webPort)
                .with(ServerConfig.Key.PASSWORD_MEMORY_KIB, 64)
                .with(ServerConfig.Key.PASSWORD_ITERATIONS, 1)
                .with(ServerConfig.Key.REGISTRATIONS_PER_ADDRESS, 1_000_000)
                .with(ServerConfig.Key.LOGIN_FAILURES_PER_ADDRESS, 1_000_000)
                .set(ServerConfig.Key.SQLITE_SYNCHRONOUS, "NORMAL"))
        .build();
  }

  /** Stops the server and starts it again on the same ports with the same data. */
  void restart() throws InterruptedException {
    stopForNow();
    startAgain();
  }

  private int stoppedPort;
  private int stoppedWebPort;

  /** Stops the server; {@link #startAgain()} brings it back on the same ports and data. */
  void stopForNow() {
    stoppedPort = server.port();
    stoppedWebPort = server.webPort();
    server.close();
  }

  /** Starts the server stopped by {@link #stopForNow()} again. */
  void startAgain() throws InterruptedException {
    int port = stoppedPort;
    int webPort = stoppedWebPort;
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (true) {
      try {
        server = ImpsServer.start(config(port, webPort), Clock.systemUTC());
        return;
      } catch (RuntimeException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
  }

  ImpsServer server() {
    return server;
  }

  int tcpPort() {
    return server.port();
  }

  /** The address to open, ending in '/'. */
  String url() {
    return server.webUrl();
  }

  String origin() {
    String url = server.webUrl();
    return url.substring(0, url.length() - 1);
  }

  @Override
  public void close() {
    server.close();
  }
}
