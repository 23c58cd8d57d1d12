package imps.client;

import imps.server.ImpsServer;
import imps.server.config.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real in-process server on a free port, with cheap password hashing so tests stay fast. It can
 * be stopped and started again on the same port and data directory (a restart).
 */
public final class TestServer implements AutoCloseable {
  private final Path dataDir;
  private final Duration idleTimeout;
  private ImpsServer server;
  private int port;

  public TestServer(Path dataDir) {
    this(dataDir, null);
  }

  public TestServer(Path dataDir, Duration idleTimeout) {
    this.dataDir = dataDir;
    this.idleTimeout = idleTimeout;
    start(0);
  }

  private void start(int onPort) {
    ServerConfig.Builder b =
        ServerConfig.builder()
            .host("127.0.0.1")
            .port(onPort)
            .dataDir(dataDir)
            .with(ServerConfig.Key.WEB_PORT, 0)
            .with(ServerConfig.Key.PASSWORD_MEMORY_KIB, 1024)
            .with(ServerConfig.Key.PASSWORD_ITERATIONS, 1)
            // Tests log in many times from one address.
            .with(ServerConfig.Key.LOGIN_FAILURES_PER_ADDRESS, 1000)
            .with(ServerConfig.Key.REGISTRATIONS_PER_ADDRESS, 1_000_000);
    if (idleTimeout != null) {
      b.with(ServerConfig.Key.IDLE_TIMEOUT, idleTimeout);
    }
    server = ImpsServer.start(b.build());
    port = server.port();
  }

  public int port() {
    return port;
  }

  public void stop() {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  /** Starts again on the same port and data directory. */
  public void restart() {
    stop();
    start(port);
  }

  @Override
  public void close() {
    stop();
  }
}
