package imps.server;

import imps.protocol.ErrorCode;
import imps.protocol.message.ErrorResponse;
import imps.server.account.AccountService;
import imps.server.account.SessionTokens;
import imps.server.admin.AdminApi;
import imps.server.admin.AdminCommands;
import imps.server.admin.AdminServer;
import imps.server.admin.AdminToken;
import imps.server.admin.Health;
import imps.server.admin.ServerMetrics;
import imps.server.admin.ServerState;
import imps.server.cluster.SessionRouter;
import imps.server.concurrent.Offload;
import imps.server.config.ConfigException;
import imps.server.config.Secrets;
import imps.server.config.ServerConfig;
import imps.server.delivery.BatchingDeliveryRecorder;
import imps.server.dispatch.Backlog;
import imps.server.dispatch.CommandLimits;
import imps.server.dispatch.RequestDispatcher;
import imps.server.friend.FriendService;
import imps.server.location.LiveLocations;
import imps.server.location.LocationService;
import imps.server.message.MessageService;
import imps.server.message.ReceiptService;
import imps.server.presence.PresenceService;
import imps.server.store.MessageStore;
import imps.server.store.Store;
import imps.server.store.StoreException;
import imps.server.time.TimeFormats;
import imps.server.transport.ServerTransport;
import imps.server.transport.tls.TlsException;
import imps.server.transport.web.WebSettings;
import io.lettuce.core.RedisException;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running IMPS server: store, router, services and the Netty listener, wired by constructor
 * injection. Start with {@link #start(ServerConfig)}; {@link #close()} shuts down cleanly
 * (connections closed, queued writes committed, store closed).
 */
public final class ImpsServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ImpsServer.class);

  private final ServerConfig config;
  private final Store store;
  private final SessionRouter router;
  private final BatchingDeliveryRecorder recorder;
  private final Offload workers;
  private final AccountService accounts;
  private final ScheduledExecutorService housekeeping;
  private final Purges purges;
  private final ServerTransport transport;
  private final AddressBanSync addressBans;
  private final CommandLimits commandLimits;
  private final LogLevel logLevel = new LogLevel();
  // The settings that change live (limit.*, log.level), as last applied.
  private ServerConfig live;
  // The admin HTTP port (health, readiness), or null when admin.port is -1.
  private final AdminServer admin;
  private volatile ServerState state = ServerState.STARTING;
  // /metrics, or null when admin.port is -1.
  private final ServerMetrics metrics;
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();
  private volatile Supplier<ServerConfig> reloadSource;
  // Set before the first connection is accepted; the recorder's acknowledgements go through it.
  private volatile ReceiptService receipts;
  private volatile boolean closed;

  private ImpsServer(ServerConfig config, Clock clock, Store store) {
    this.config = config;
    this.reloadSource = () -> config;
    this.live = config;
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
    this.housekeeping =
        Executors.newSingleThreadScheduledExecutor(
            new DefaultThreadFactory("imps-housekeeping", true));

    TimeFormats times = new TimeFormats(config.timeZone());
    this.accounts = ServerWiring.accounts(config, clock, store, workers);
    FriendService friends =
        new FriendService(
            store.friends(),
            accounts,
            router,
            config.maxFriends(),
            config.get(ServerConfig.Key.FRIEND_REQUESTS_PENDING_PER_SENDER),
            config.get(ServerConfig.Key.FRIEND_REQUESTS_PENDING_PER_RECIPIENT));
    MessageService messages =
        new MessageService(
            store.messages(),
            store.friends(),
            accounts,
            router,
            workers,
            times,
            clock,
            config.maxMessageChars(),
            config.maxAudioBytes(),
            new MessageStore.Quota(
                config.get(ServerConfig.Key.QUOTA_UNDELIVERED_ITEMS),
                config.get(ServerConfig.Key.QUOTA_UNDELIVERED_BYTES)),
            config.historyRetention());
    LocationService locations =
        new LocationService(
            store.locations(),
            times,
            clock,
            config.locationRetention(),
            new LiveLocations(
                store.friends(), router, clock, config.locationLiveInterval(), housekeeping));
    PresenceService presence = new PresenceService(store.friends(), router);
    this.receipts = new ReceiptService(store.messages(), router);
    SessionTokens tokens =
        new SessionTokens(
            store.tokens(),
            clock,
            config.get(ServerConfig.Key.SESSION_TOKEN_TTL),
            config.get(ServerConfig.Key.SESSION_TOKENS_PER_USER));
    this.commandLimits = ServerWiring.commandLimits(config, clock);
    logLevel.apply(config.get(ServerConfig.Key.LOG_LEVEL));
    RequestDispatcher dispatcher =
        new RequestDispatcher(
            accounts,
            friends,
            messages,
            locations,
            presence,
            router,
            new Backlog(
                store.accounts(), store.friends(), store.messages(), friends, recorder, workers),
            tokens,
            receipts,
            workers,
            commandLimits);
    housekeeping.scheduleWithFixedDelay(tokens::purgeExpired, 7, 60, TimeUnit.MINUTES);

    housekeeping.scheduleWithFixedDelay(() -> purges.locations(locations), 1, 60, TimeUnit.MINUTES);
    housekeeping.scheduleWithFixedDelay(() -> purgeFriends(clock), 2, 60, TimeUnit.MINUTES);
    housekeeping.scheduleWithFixedDelay(() -> purgeMessages(clock), 1, 1, TimeUnit.MINUTES);
    housekeeping.scheduleWithFixedDelay(accounts::sweepThrottles, 1, 1, TimeUnit.MINUTES);
    long summaryMillis = config.get(ServerConfig.Key.LOG_SUMMARY_INTERVAL).toMillis();
    housekeeping.scheduleWithFixedDelay(
        dispatcher.activity()::summarize, summaryMillis, summaryMillis, TimeUnit.MILLISECONDS);

    this.addressBans = new AddressBanSync(store);
    try {
      this.transport =
          ServerTransport.start(config, dispatcher, recorder, addressBans.loadAtStart());
    } catch (ServerTransport.CannotListenException | TlsException e) {
      shutdownExecutors();
      throw new StartupException(e.getMessage(), e);
    }
    String node = ServerWiring.nodeName(config);
    router.answerSessionListsFrom(() -> AdminCommands.sessionsOf(transport.sessions(), node));
    long banPoll = AddressBanSync.POLL.toMillis();
    housekeeping.scheduleWithFixedDelay(
        () -> addressBans.poll(transport), banPoll, banPoll, TimeUnit.MILLISECONDS);
    int adminPort = config.get(ServerConfig.Key.ADMIN_PORT);
    String adminHost = config.get(ServerConfig.Key.ADMIN_HOST);
    try {
      this.admin = adminPort < 0 ? null : new AdminServer(adminHost, adminPort);
    } catch (IOException e) {
      transport.close();
      shutdownExecutors();
      throw new StartupException(
          "cannot open the admin endpoint on "
              + adminHost
              + ":"
              + adminPort
              + ": "
              + e.getMessage(),
          e);
    }
    this.metrics =
        admin == null
            ? null
            : new ServerMetrics(
                new ServerMetrics.Sources(
                    transport::connectionCount,
                    transport::sessionCount,
                    workers::queued,
                    transport::openSessions,
                    transport::outputWaiting));
    if (admin != null) {
      metrics.register(admin);
      try {
        new AdminApi(
                new AdminCommands(
                    new AdminCommands.Deps(
                        store.admin(),
                        accounts,
                        dispatcher.accountDeletion(),
                        tokens,
                        transport.sessions(),
                        router,
                        transport::connectionCount,
                        node,
                        new AdminOperations())),
                AdminToken.resolve(
                    config.get(ServerConfig.Key.ADMIN_TOKEN),
                    config.get(ServerConfig.Key.DATA_DIR)))
            .register(admin);
      } catch (IOException | UnsupportedOperationException e) {
        log.warn("admin API off: {}", e.toString());
      }
      new Health(
              new Health.Probes(
                  store::isReachable,
                  store::probeWrite,
                  router::isHealthy,
                  transport::connectionCount,
                  () -> state))
          .register(admin);
    }
  }

  /** The server side of the admin commands drain and reload. */
  private final class AdminOperations implements AdminCommands.Operations {
    @Override
    public Map<String, Object> drain(Duration delay) {
      state = ServerState.DRAINING;
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
    housekeeping.shutdownNow();
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
      log.info(
          "IMPS listening on {}:{} ({}), store: {}, cluster: {}{}",
          config.host(),
          s.port() < 0 ? "- (tls.required)" : s.port(),
          s.transport.kind(),
          s.store.describe(),
          config.cluster().name().toLowerCase(Locale.ROOT),
          config.get(ServerConfig.Key.PROXY_PROTOCOL)
              ? ", PROXY headers expected from "
                  + config.get(ServerConfig.Key.PROXY_PROTOCOL_TRUSTED)
              : "");
      if (s.webPort() > 0) {
        log.info("web client on {}", s.webUrl());
      }
      if (s.tlsPort() >= 0) {
        log.info("IMPS listening for TLS on {}:{}", config.host(), s.tlsPort());
      }
      if (s.admin != null) {
        log.info(
            "health check on http://{}:{}/health (readiness: /ready)",
            config.get(ServerConfig.Key.ADMIN_HOST),
            s.adminPort());
      }
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
    if (webPort() < 0) {
      return null;
    }
    String host = WebSettings.from(config).host();
    if (host.equals("0.0.0.0") || host.equals("::") || host.isEmpty()) {
      host = "127.0.0.1";
    } else if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return "http://" + host + ":" + webPort() + "/";
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
    this.reloadSource = source;
  }

  /**
   * Reads the configuration again (SIGHUP, {@code ./imps admin reload}) and applies what can change
   * live, without closing a connection: the TLS certificate and key files are loaded again, and the
   * rate and connection limits ({@code limit.*}) and {@code log.level} take their new values.
   * Settings that changed otherwise are listed as needing a restart; the running server keeps their
   * old values.
   *
   * @throws IllegalArgumentException when the new configuration is invalid (nothing applied)
   */
  public synchronized Map<String, Object> reload() {
    ServerConfig next;
    try {
      next = reloadSource.get();
    } catch (ConfigException e) {
      throw new IllegalArgumentException("invalid configuration: " + e.getMessage(), e);
    }
    List<String> restart = new ArrayList<>();
    List<Map<String, Object>> applied = new ArrayList<>();
    for (ServerConfig.Key<?> k : ServerConfig.Key.all()) {
      if (isLive(k)) {
        if (!java.util.Objects.equals(live.get(k), next.get(k))) {
          applied.add(change(k, live, next));
        }
      } else if (!java.util.Objects.equals(config.get(k), next.get(k))) {
        restart.add(k.key());
      }
    }
    if (tlsPort() >= 0) {
      try {
        reloadTls().get();
        applied.add(Map.of("setting", "tls.cert-file", "to", "certificate and key loaded again"));
      } catch (Exception e) {
        throw new IllegalArgumentException("TLS files not reloaded: " + e.getMessage(), e);
      }
    }
    commandLimits.update(ServerWiring.commandRates(next));
    transport.updateLimits(next);
    logLevel.apply(next.get(ServerConfig.Key.LOG_LEVEL));
    live = next;
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("applied", applied);
    out.put("needsRestart", restart);
    log.info(
        "configuration reloaded; applied: {}; changed, needing a restart: {}", applied, restart);
    return out;
  }

  /** Whether a setting changes on reload: the rate and connection limits and the log level. */
  static boolean isLive(ServerConfig.Key<?> k) {
    return k.key().startsWith("limit.") || k == ServerConfig.Key.LOG_LEVEL;
  }

  private static Map<String, Object> change(
      ServerConfig.Key<?> k, ServerConfig from, ServerConfig to) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("setting", k.key());
    m.put("from", String.valueOf(from.get(k)));
    m.put("to", String.valueOf(to.get(k)));
    return m;
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
    return admin == null ? -1 : admin.port();
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
    if (admin != null) {
      admin.close();
      metrics.close();
    }
    workers.shutdown(10);
    accounts.close();
    housekeeping.shutdownNow();
    recorder.close();
    router.close();
    transport.stopLoops();
    store.close();
    log.info("IMPS stopped");
    stopped.complete(null);
  }
}
