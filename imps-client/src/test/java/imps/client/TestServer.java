package imps.client;

import imps.server.ImpsServer;
import imps.server.TestServerConfig;
import imps.server.config.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A real in-process server on a free port, on the shared test settings ({@link TestServerConfig}:
 * cheap password hashing, per-address throttles relaxed), with data in the caller's directory. It
 * can be stopped and started again on the same ports and data directory (a restart).
 */
public final class TestServer implements AutoCloseable {
  private final Path dataDir;
  private final Consumer<ServerConfig.Builder> settings;
  private ImpsServer server;
  private int port;
  private int tlsPort;

  public TestServer(Path dataDir) {
    this(dataDir, b -> {});
  }

  public TestServer(Path dataDir, Duration idleTimeout) {
    this(dataDir, b -> b.with(ServerConfig.Key.IDLE_TIMEOUT, idleTimeout));
  }

  /** A server on the test settings and then {@code settings} (TLS files, for example). */
  public TestServer(Path dataDir, Consumer<ServerConfig.Builder> settings) {
    this.dataDir = dataDir;
    this.settings = settings;
    start(0, 0);
  }

  private void start(int onPort, int onTlsPort) {
    ServerConfig.Builder b =
        TestServerConfig.builder(dataDir).port(onPort).with(ServerConfig.Key.TLS_PORT, onTlsPort);
    settings.accept(b);
    server = ImpsServer.start(b.build());
    port = server.port();
    tlsPort = server.tlsPort();
  }

  public int port() {
    return port;
  }

  /** The TLS port, or -1 without TLS settings. */
  public int tlsPort() {
    return tlsPort;
  }

  /** Loads the TLS certificate and key files again, as SIGHUP does, and waits until done. */
  public void reloadTls() throws Exception {
    server.reloadTls().get(10, TimeUnit.SECONDS);
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
    start(port, Math.max(0, tlsPort));
  }

  @Override
  public void close() {
    stop();
  }
}
