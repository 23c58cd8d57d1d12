package imps.server;

import imps.server.account.AccountService;
import imps.server.account.SessionTokens;
import imps.server.admin.AdminApi;
import imps.server.admin.AdminCommands;
import imps.server.admin.AdminServer;
import imps.server.admin.AdminToken;
import imps.server.admin.Health;
import imps.server.admin.ServerMetrics;
import imps.server.admin.ServerState;
import imps.server.cluster.NodeFigures;
import imps.server.cluster.SessionRouter;
import imps.server.concurrent.Offload;
import imps.server.config.ServerConfig;
import imps.server.dispatch.AccountDeletion;
import imps.server.store.Store;
import imps.server.transport.ServerTransport;
import java.io.IOException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP port ({@code admin.host}, {@code admin.port}) with what it serves: {@code /health}
 * and {@code /ready}, {@code /metrics}, and the admin API when a token is available. With {@code
 * admin.port = -1} there is no port: {@link #port} is -1 and {@link #close} does nothing.
 */
final class AdminEndpoints implements AutoCloseable {
  // The server's own logger: operators read these lines among its start-up lines.
  private static final Logger log = LoggerFactory.getLogger(ImpsServer.class);

  private final AdminServer admin; // null when admin.port is -1
  private final ServerMetrics metrics; // null when admin.port is -1

  /** What the endpoints report on and act upon. */
  record Sources(
      Store store,
      SessionRouter router,
      ServerTransport transport,
      Offload workers,
      AccountService accounts,
      AccountDeletion deletion,
      SessionTokens tokens,
      AdminCommands.Operations operations,
      Supplier<NodeFigures> figures,
      Supplier<ServerState> state) {}

  private AdminEndpoints(AdminServer admin, ServerMetrics metrics) {
    this.admin = admin;
    this.metrics = metrics;
  }

  /**
   * Opens the port and registers the endpoints on it. An admin API that cannot have a token is left
   * off (logged); the rest is served.
   *
   * @throws StartupException when the port cannot be opened
   */
  static AdminEndpoints open(ServerConfig config, Sources s) {
    int adminPort = config.get(ServerConfig.Key.ADMIN_PORT);
    String adminHost = config.get(ServerConfig.Key.ADMIN_HOST);
    if (adminPort < 0) {
      return new AdminEndpoints(null, null);
    }
    AdminServer admin;
    try {
      admin = new AdminServer(adminHost, adminPort);
    } catch (IOException e) {
      throw new StartupException(
          "cannot open the admin endpoint on "
              + adminHost
              + ":"
              + adminPort
              + ": "
              + e.getMessage(),
          e);
    }
    ServerTransport transport = s.transport();
    ServerMetrics metrics =
        new ServerMetrics(
            new ServerMetrics.Sources(
                transport::connectionCount,
                transport::sessionCount,
                s.workers()::queued,
                transport::openSessions,
                transport::outputWaiting));
    metrics.register(admin);
    try {
      new AdminApi(
              new AdminCommands(
                  new AdminCommands.Deps(
                      s.store().admin(),
                      s.accounts(),
                      s.deletion(),
                      s.tokens(),
                      transport.sessions(),
                      s.router(),
                      s.figures(),
                      ServerWiring.nodeName(config),
                      s.operations())),
              AdminToken.resolve(
                  config.get(ServerConfig.Key.ADMIN_TOKEN), config.get(ServerConfig.Key.DATA_DIR)))
          .register(admin);
    } catch (IOException | UnsupportedOperationException e) {
      log.warn("admin API off: {}", e.toString());
    }
    Store store = s.store();
    SessionRouter router = s.router();
    new Health(
            new Health.Probes(
                store::isReachable,
                store::probeWrite,
                router::isHealthy,
                transport::connectionCount,
                s.state()))
        .register(admin);
    admin.start();
    return new AdminEndpoints(admin, metrics);
  }

  /** The port actually bound, or -1 when the endpoint is off. */
  int port() {
    return admin == null ? -1 : admin.port();
  }

  @Override
  public void close() {
    if (admin != null) {
      admin.close();
      metrics.close();
    }
  }
}
