package imps.server;

import imps.protocol.ErrorCode;
import imps.protocol.message.ErrorResponse;
import imps.server.account.AccountService;
import imps.server.admin.AdminCommands;
import imps.server.admin.ServerState;
import imps.server.admin.SessionCommands;
import imps.server.admin.StatsCommand;
import imps.server.cluster.NodeFigures;
import imps.server.cluster.SessionRouter;
import imps.server.concurrent.Offload;
import imps.server.config.Secrets;
import imps.server.config.ServerConfig;
import imps.server.delivery.BatchingDeliveryRecorder;
import imps.server.dispatch.RequestDispatcher;
import imps.server.message.ReceiptService;
import imps.server.store.Store;
import imps.server.store.StoreException;
import imps.server.transport.CannotListenException;
import imps.server.transport.ServerTransport;
import imps.server.transport.tls.TlsException;
import io.lettuce.core.RedisException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running IMPS server: store, router, services and the Netty listener, wired by constructor
 * injection. Start with {@link #start(ServerConfig)}; {@link #close()} shuts down cleanly
 * (connections closed, queued writes committed, store closed).
 *
 * <p>This class owns the server's life: what is opened in which order, its {@link ServerState}, the
 * drain and the order of shutdown. The parts it opens are wired elsewhere: the services and
 * dispatcher in {@link Services}, the periodic work in {@link Housekeeping}, the admin port in
 * {@link AdminEndpoints}, live reloads in {@link ConfigReload}, its start-up lines in {@link
 * StartupLog}.
 */
public final class ImpsServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ImpsServer.class);

  private final ServerConfig config;
  private final Store store;
  private final SessionRouter router;
  private final BatchingDeliveryRecorder recorder;
  private final Offload workers;
  private final AccountService accounts;
  private final Housekeeping housekeeping;
  private final Purges purges;
  private final ServerTransport transport;
  private final RequestDispatcher dispatcher;
  private final ConfigReload reloads;
  private final AddressBanSync addressBans;
  // The admin HTTP port (health, readiness, metrics, the admin API); off when admin.port is -1.
  private final AdminEndpoints admin;
  private volatile ServerState state = ServerState.STARTING;
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();
  // Set before the first connection is accepted; the recorder's acknowledgements go through it.
  private volatile ReceiptService receipts;
  private volatile boolean closed;

  private ImpsServer(ServerConfig config, Clock clock, Store store) {
    this.config = config;
    this.store = store;
    this.purges = new Purges(config, store);
    ServerWiring.checkPasswordCost(config);
    this.recorder =
        new BatchingDeliveryRecorder(
            store.messages()::markDelivered,
            store.friends()::markOutcomesDelivered,
            acks -> receipts.acknowledged(acks));
    try {
      this.router = Backends.openRouter(config, store.friends(), recorder);
    } catch (RedisException e) {
      recorder.close();
      throw new StartupException(
          "cannot reach Redis at "
              + Secrets.redactUri(config.get(ServerConfig.Key.REDIS_URI))
              + ": "
              + Secrets.redactUri(e.getMessage()),
          Secrets.scrubbed(e));
    }
    this.workers =
        new Offload(
            "imps-worker", config.workerThreads(), config.get(ServerConfig.Key.WORKER_QUEUE));
    this.housekeeping = new Housekeeping();

    this.accounts = ServerWiring.accounts(config, clock, store, workers);
    Services services =
        Services.wire(
            config, clock, store, router, recorder, workers, accounts, housekeeping.scheduler());
    this.receipts = services.receipts();
    this.dispatcher = services.dispatcher();
    housekeeping.schedule(config, clock, purges, services, accounts, dispatcher.activity());

    LogLevel logLevel = new LogLevel();
    logLevel.apply(config.get(ServerConfig.Key.LOG_LEVEL));
    this.addressBans = new AddressBanSync(store);
    try {
      this.transport =
          ServerTransport.start(config, dispatcher, recorder, addressBans.loadAtStart());
    } catch (CannotListenException | TlsException e) {
      shutdownExecutors();
      throw new StartupException(e.getMessage(), e);
    }
    long banPoll = AddressBanSync.POLL.toMillis();
    housekeeping
        .scheduler()
        .scheduleWithFixedDelay(
            () -> addressBans.poll(transport), banPoll, banPoll, TimeUnit.MILLISECONDS);
    String node = ServerWiring.nodeName(config);
    router.answerSessionListsFrom(() -> SessionCommands.sessionsOf(transport.sessions(), node));
    Supplier<NodeFigures> figures =
        () ->
            StatsCommand.figuresOf(
                node,
                transport.sessionCount(),
                transport.connectionCount(),
                dispatcher.messageCounts().snapshot());
    router.answerFiguresFrom(figures);
    this.reloads = new ConfigReload(config, transport, services.limits(), logLevel);
    try {
      this.admin =
          AdminEndpoints.open(
              config,
              new AdminEndpoints.Sources(
                  store,
                  router,
                  transport,
                  workers,
                  accounts,
                  dispatcher.accountDeletion(),
                  services.tokens(),
                  new AdminOperations(),
                  figures,
                  () -> state));
    } catch (StartupException e) {
      transport.close();
      shutdownExecutors();
      throw e;
    }
  }

  /** The server side of the admin commands drain and reload. */
  private final class AdminOperations implements AdminCommands.Operations {
    @Override
    public Map<String, Object> drain(Duration delay) {
      state = ServerState.DRAINING;
      // New logins stop at once, not after the delay (issue 16): a login on an open connection is
      // refused (PROTOCOL.md decision 44), new connections are refused by the kernel; sessions
      // already logged in are served until close() drains them.
      dispatcher.refuseLogins();
      transport.stopAccepting();
      Thread stopper =
          new Thread(
              () -> {
                try {
                  Thread.sleep(delay.toMillis());
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                close();
              },
              "imps-admin-drain");
      stopper.start();
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("state", state.wireName());
      out.put("connections", transport.connectionCount());
      out.put("closingIn", delay.toString());
      return out;
    }

    @Override
    public Map<String, Object> reload() {
      return ImpsServer.this.reload();
    }

    @Override
    public int applyAddressBans() {
      return addressBans.apply(transport);
    }
  }

  /**
   * Deletes unanswered friend requests past {@code friend-requests.expiry} and delivered outcomes;
   * hourly on the housekeeping thread (public for tests).
   */
  public void purgeFriends(Clock clock) {
    purges.friends(clock);
  }

  /**
   * Deletes delivered messages and clips older than {@code history.retention} (every minute on the
   * housekeeping thread; public for tests); see {@link Purges#messages}.
   */
  public void purgeMessages(Clock clock) {
    purges.messages(clock);
  }

  private void shutdownExecutors() {
    workers.close();
    accounts.close();
    housekeeping.close();
    recorder.close();
    router.close();
  }

  /** Starts a server with the system clock. */
  public static ImpsServer start(ServerConfig config) {
    return start(config, Clock.systemUTC());
  }

  /**
   * Starts a server; {@code clock} drives every server time (tests move it).
   *
   * @throws StartupException when the store, Redis or the port is unavailable
   */
  public static ImpsServer start(ServerConfig config, Clock clock) {
    Store store;
    try {
      store = Backends.openStore(config, clock);
    } catch (StoreException e) {
      throw new StartupException(e.getMessage(), e);
    }
    return start(config, clock, store);
  }

  /**
   * Starts a server on a store opened by the caller (tests wrap a real store to inject faults). The
   * server closes the store when it stops.
   */
  public static ImpsServer start(ServerConfig config, Clock clock, Store store) {
    try {
      ImpsServer s = new ImpsServer(config, clock, store);
      StartupLog.listening(s, s.transport.kind());
      s.state = ServerState.READY;
      return s;
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /** The plain port actually bound (useful with port 0), or -1 with {@code tls.required}. */
  public int port() {
    return transport.port();
  }

  /** The web port actually bound, or -1 when the web client is off. */
  public int webPort() {
    return transport.webPort();
  }

  /** The address to open in a browser (a wildcard bind is shown as 127.0.0.1), or null. */
  public String webUrl() {
    return StartupLog.webUrl(config, webPort(), transport.webTls());
  }

  /** The TLS port actually bound, or -1 when TLS is off. */
  public int tlsPort() {
    return transport.tlsPort();
  }

  /**
   * Loads the TLS certificate and key files again (SIGHUP); new connections get the new pair,
   * established ones keep theirs. The future completes when done; at once when TLS is off.
   */
  public Future<?> reloadTls() {
    return transport.reloadTls();
  }

  public ServerConfig config() {
    return config;
  }

  /** The store (for tests and admin tools). */
  public Store store() {
    return store;
  }

  /** Number of open client connections. */
  public int connectionCount() {
    return transport.connectionCount();
  }

  /** Bytes waiting to be written to all clients now (for tests and admin tools). */
  public long outputWaiting() {
    return transport.outputWaiting();
  }

  /** Connections closed because output to all clients was over {@code output.budget-bytes}. */
  public long closedForOutputBudget() {
    return transport.closedForOutputBudget();
  }

  /**
   * Where reload reads the configuration again (the launcher's: config file, environment, flags);
   * by default the configuration the server started with.
   */
  public void reloadFrom(Supplier<ServerConfig> source) {
    reloads.from(source);
  }

  /**
   * Reads the configuration again (SIGHUP, {@code ./imps admin reload}) and applies what can change
   * live: the TLS certificate and key files are loaded again. Settings that changed otherwise are
   * listed as needing a restart; the running server keeps their old values. Never while the server
   * shuts down ({@link #close} holds the same lock).
   *
   * @throws IllegalArgumentException when the new configuration is invalid (nothing applied)
   */
  public synchronized Map<String, Object> reload() {
    Map<String, Object> out = reloads.reload();
    log.info(
        "configuration reloaded; applied: {}; changed, needing a restart: {}",
        out.get("applied"),
        out.get("needsRestart"));
    return out;
  }

  /** Completes once the server has stopped (a drain, {@link #close}). */
  public CompletableFuture<Void> stopped() {
    return stopped;
  }

  /** Where the server is in its life ({@code /ready}). */
  public ServerState state() {
    return state;
  }

  /** The admin HTTP port, or -1 when the endpoint is off. */
  public int adminPort() {
    return admin.port();
  }

  /** Drains and stops; a second caller (another signal) waits until the first has finished. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    state = ServerState.DRAINING;
    log.info("IMPS shutting down: draining {} connections", transport.connectionCount());
    // Finding M8: every request read is answered before its connection closes, and clients are
    // told why; only then do the workers, the delivery marks and the store stop.
    boolean drained =
        transport.drain(
            ErrorResponse.unsolicited(ErrorCode.SHUTTING_DOWN),
            config.get(ServerConfig.Key.DRAIN_TIMEOUT));
    if (!drained) {
      log.warn(
          "drain-timeout ({}) passed: {} connections were closed before they drained",
          config.get(ServerConfig.Key.DRAIN_TIMEOUT),
          transport.openSessions());
    }
    admin.close();
    workers.shutdown(10);
    accounts.close();
    housekeeping.close();
    recorder.close();
    router.close();
    transport.stopLoops();
    store.close();
    log.info("IMPS stopped");
    stopped.complete(null);
  }
}
