package imps.server;

import imps.server.account.AccountService;
import imps.server.account.HashingPool;
import imps.server.account.LoginThrottle;
import imps.server.account.PasswordHasher;
import imps.server.account.RegistrationLimiter;
import imps.server.account.SessionTokens;
import imps.server.admin.HealthEndpoint;
import imps.server.cluster.SessionRouter;
import imps.server.concurrent.Offload;
import imps.server.config.ConfigException;
import imps.server.config.ServerConfig;
import imps.server.delivery.BatchingDeliveryRecorder;
import imps.server.dispatch.Backlog;
import imps.server.dispatch.RequestDispatcher;
import imps.server.friend.FriendService;
import imps.server.location.LiveLocations;
import imps.server.location.LocationService;
import imps.server.message.MessageService;
import imps.server.message.ReceiptService;
import imps.server.presence.PresenceService;
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
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running IMPS server: store, router, services and the Netty listener, wired by constructor
 * injection. Start with {@link #start(ServerConfig)}; {@link #close()} shuts down cleanly
 * (connections closed, queued writes committed, store closed).
 */
public final class ImpsServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ImpsServer.class);

  /** Addresses, accounts and account-address pairs each login or registration limit remembers. */
  private static final long THROTTLE_KEYS = 100_000;

  private final ServerConfig config;
  private final Store store;
  private final SessionRouter router;
  private final BatchingDeliveryRecorder recorder;
  private final Offload workers;
  private final AccountService accounts;
  private final ScheduledExecutorService housekeeping;
  private final ServerTransport transport;
  private final HealthEndpoint health;
  // Set before the first connection is accepted; the recorder's acknowledgements go through it.
  private volatile ReceiptService receipts;
  private volatile boolean closed;

  private ImpsServer(ServerConfig config, Clock clock, Store store) {
    this.config = config;
    this.store = store;
    checkPasswordCost(config);
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
          "cannot reach Redis at " + config.get(ServerConfig.Key.REDIS_URI) + ": " + e.getMessage(),
          e);
    }
    this.workers =
        new Offload(
            "imps-worker", config.workerThreads(), config.get(ServerConfig.Key.WORKER_QUEUE));
    this.housekeeping =
        Executors.newSingleThreadScheduledExecutor(
            new DefaultThreadFactory("imps-housekeeping", true));

    TimeFormats times = new TimeFormats(config.timeZone());
    this.accounts = accounts(config, clock, store, workers);
    FriendService friends =
        new FriendService(store.friends(), accounts, router, config.maxFriends());
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
            workers);
    housekeeping.scheduleWithFixedDelay(tokens::purgeExpired, 7, 60, TimeUnit.MINUTES);

    housekeeping.scheduleWithFixedDelay(() -> purgeLocations(locations), 1, 60, TimeUnit.MINUTES);
    housekeeping.scheduleWithFixedDelay(accounts::sweepThrottles, 1, 1, TimeUnit.MINUTES);
    long summaryMillis = config.get(ServerConfig.Key.LOG_SUMMARY_INTERVAL).toMillis();
    housekeeping.scheduleWithFixedDelay(
        dispatcher.activity()::summarize, summaryMillis, summaryMillis, TimeUnit.MILLISECONDS);

    try {
      this.transport = ServerTransport.start(config, dispatcher, recorder);
    } catch (ServerTransport.CannotListenException | TlsException e) {
      shutdownExecutors();
      throw new StartupException(e.getMessage(), e);
    }
    int adminPort = config.get(ServerConfig.Key.ADMIN_PORT);
    String adminHost = config.get(ServerConfig.Key.ADMIN_HOST);
    try {
      this.health =
          adminPort < 0
              ? null
              : new HealthEndpoint(
                  adminHost,
                  adminPort,
                  store::isReachable,
                  router::isHealthy,
                  transport::connectionCount);
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
  }

  /** Refuses a password cost that cannot fit the heap, before anything has started. */
  private static void checkPasswordCost(ServerConfig config) {
    Runtime rt = Runtime.getRuntime();
    try {
      HashingPool.Size.of(
          rt.maxMemory(),
          config.get(ServerConfig.Key.PASSWORD_HEAP_PERCENT),
          config.get(ServerConfig.Key.PASSWORD_MEMORY_KIB),
          rt.availableProcessors());
    } catch (ConfigException e) {
      throw new StartupException(e.getMessage(), e);
    }
  }

  /** Accounts: password hashing on its own pool, the login and registration limits, the caches. */
  private static AccountService accounts(
      ServerConfig config, Clock clock, Store store, Offload workers) {
    PasswordHasher hasher =
        new PasswordHasher(
            config.get(ServerConfig.Key.PASSWORD_MEMORY_KIB),
            config.get(ServerConfig.Key.PASSWORD_ITERATIONS));
    HashingPool hashing =
        HashingPool.forThisJvm(
            hasher,
            config.get(ServerConfig.Key.PASSWORD_HEAP_PERCENT),
            config.get(ServerConfig.Key.PASSWORD_QUEUE));
    LoginThrottle throttle =
        new LoginThrottle(
            new LoginThrottle.Settings(
                config.get(ServerConfig.Key.LOGIN_FAILURES_PER_USER),
                config.get(ServerConfig.Key.LOGIN_DELAY),
                config.get(ServerConfig.Key.LOGIN_DELAY_MAX),
                config.get(ServerConfig.Key.LOGIN_FAILURES_PER_ADDRESS),
                config.get(ServerConfig.Key.LOGIN_FAILURE_WINDOW),
                THROTTLE_KEYS),
            clock);
    RegistrationLimiter registrations =
        new RegistrationLimiter(
            config.get(ServerConfig.Key.REGISTRATIONS_PER_ADDRESS),
            config.get(ServerConfig.Key.REGISTRATION_WINDOW),
            config.get(ServerConfig.Key.REGISTRATIONS_PER_MINUTE),
            THROTTLE_KEYS,
            clock);
    return new AccountService(
        store.accounts(),
        workers,
        hashing,
        throttle,
        registrations,
        AccountService.Caches.ofHeap(config.get(ServerConfig.Key.PASSWORD_CACHE_TTL)),
        clock);
  }

  private void purgeLocations(LocationService locations) {
    try {
      int n = locations.purge();
      if (n > 0) {
        log.info("purged {} location fixes older than {}", n, config.locationRetention());
      }
    } catch (RuntimeException e) {
      log.warn("location purge failed", e);
    }
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
      if (s.health != null) {
        log.info(
            "health check on http://{}:{}/health",
            config.get(ServerConfig.Key.ADMIN_HOST),
            s.adminPort());
      }
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

  /** The admin HTTP port, or -1 when the endpoint is off. */
  public int adminPort() {
    return health == null ? -1 : health.port();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    log.info("IMPS shutting down");
    if (health != null) {
      health.close();
    }
    transport.closeConnections();
    workers.shutdown(10);
    accounts.close();
    housekeeping.shutdownNow();
    recorder.close();
    router.close();
    transport.stopLoops();
    store.close();
    log.info("IMPS stopped");
  }
}
