package imps.client;

import imps.server.ImpsServer;
import imps.server.TestServerConfig;
import imps.server.config.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real in-process server on a free port, on the shared test settings ({@link TestServerConfig}:
 * cheap password hashing, per-address throttles relaxed), with data in the caller's directory. It
 * can be stopped and started again on the same port and data directory (a restart).
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
    ServerConfig.Builder b = TestServerConfig.builder(dataDir).port(onPort);
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
