package imps.server;

import imps.server.account.AccountService;
import imps.server.account.LoginThrottle;
import imps.server.account.PasswordHasher;
import imps.server.admin.HealthEndpoint;
import imps.server.cluster.Routers;
import imps.server.cluster.SessionRouter;
import imps.server.config.ServerConfig;
import imps.server.friend.FriendService;
import imps.server.location.LocationService;
import imps.server.location.TimeFormats;
import imps.server.message.BatchingDeliveryRecorder;
import imps.server.message.MessageService;
import imps.server.presence.PresenceService;
import imps.server.session.Backlog;
import imps.server.session.RequestDispatcher;
import imps.server.store.Store;
import imps.server.store.Stores;
import imps.server.transport.ServerChannelInitializer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
  private final ExecutorService workers;
  private final ScheduledExecutorService housekeeping;
  private final EventLoopGroup boss;
  private final EventLoopGroup io;
  private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final Channel listener;
  private final HealthEndpoint health;
  private volatile boolean closed;
  private final AtomicLong lastRefusalLog = new AtomicLong();

  private ImpsServer(ServerConfig config, Clock clock, Store store) throws InterruptedException {
    this.config = config;
    this.store = store;
    this.recorder = new BatchingDeliveryRecorder(store.messages(), store.friends());
    this.router = Routers.create(config, store.friends(), recorder);
    this.workers =
        Executors.newFixedThreadPool(config.workerThreads(), daemonThreads("imps-worker"));
    this.housekeeping =
        Executors.newSingleThreadScheduledExecutor(daemonThreads("imps-housekeeping"));

    TimeFormats times = new TimeFormats(config.timeZone());
    PasswordHasher hasher =
        new PasswordHasher(
            config.get(ServerConfig.Key.PASSWORD_MEMORY_KIB),
            config.get(ServerConfig.Key.PASSWORD_ITERATIONS));
    LoginThrottle throttle =
        new LoginThrottle(
            clock,
            config.get(ServerConfig.Key.LOGIN_FAILURES_PER_USER),
            config.get(ServerConfig.Key.LOGIN_FAILURES_PER_ADDRESS),
            config.get(ServerConfig.Key.LOGIN_FAILURE_WINDOW));
    LoginThrottle registrations =
        new LoginThrottle(
            clock,
            Integer.MAX_VALUE,
            config.get(ServerConfig.Key.REGISTRATIONS_PER_ADDRESS),
            config.get(ServerConfig.Key.REGISTRATION_WINDOW));
    AccountService accounts = new AccountService(store.accounts(), hasher, throttle, registrations);
    FriendService friends =
        new FriendService(store.friends(), accounts, router, config.maxFriends());
    MessageService messages =
        new MessageService(
            store.messages(),
            store.friends(),
            accounts,
            router,
            times,
            clock,
            config.maxMessageChars(),
            config.maxAudioBytes());
    LocationService locations =
        new LocationService(store.locations(), times, clock, config.locationRetention());
    PresenceService presence = new PresenceService(store.friends(), router);
    RequestDispatcher dispatcher =
        new RequestDispatcher(
            accounts,
            friends,
            messages,
            locations,
            presence,
            router,
            new Backlog(store.friends(), store.messages(), friends, recorder));
    router.onResyncNeeded(s -> s.requests().execute(() -> dispatcher.resync(s)));

    housekeeping.scheduleWithFixedDelay(
        () -> {
          try {
            int n = locations.purge();
            if (n > 0) {
              log.info("purged {} location fixes older than {}", n, config.locationRetention());
            }
          } catch (RuntimeException e) {
            log.warn("location purge failed", e);
          }
        },
        1,
        60,
        TimeUnit.MINUTES);
    housekeeping.scheduleWithFixedDelay(accounts::sweepThrottles, 1, 1, TimeUnit.MINUTES);

    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    Class<? extends ServerChannel> channelType =
        epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    this.boss = new MultiThreadIoEventLoopGroup(1, factory);
    int ioThreads = config.get(ServerConfig.Key.IO_THREADS);
    // One event loop per core by default (Netty's own default is two): more runnable threads
    // than cores only add scheduling delay to every frame.
    this.io =
        new MultiThreadIoEventLoopGroup(
            ioThreads > 0 ? ioThreads : Runtime.getRuntime().availableProcessors(), factory);
    ServerChannelInitializer init =
        new ServerChannelInitializer(config, dispatcher, workers, recorder);
    int maxConnections = config.get(ServerConfig.Key.MAX_CONNECTIONS);
    ServerBootstrap b =
        new ServerBootstrap()
            .group(boss, io)
            .channel(channelType)
            .option(ChannelOption.SO_BACKLOG, 4096)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.SO_KEEPALIVE, true)
            // Above 1 MiB queued a connection is "not writable": the login backlog waits for it.
            .childOption(
                ChannelOption.WRITE_BUFFER_WATER_MARK,
                new io.netty.channel.WriteBufferWaterMark(256 * 1024, 1024 * 1024))
            .childHandler(
                new io.netty.channel.ChannelInitializer<>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    if (channels.size() >= maxConnections) {
                      refuse(ch);
                      return;
                    }
                    channels.add(ch);
                    ch.pipeline().addLast(init);
                  }
                });
    try {
      this.listener = b.bind(config.host(), config.port()).sync().channel();
      int adminPort = config.get(ServerConfig.Key.ADMIN_PORT);
      this.health =
          adminPort < 0
              ? null
              : new HealthEndpoint(
                  config.get(ServerConfig.Key.ADMIN_HOST),
                  adminPort,
                  store::isReachable,
                  router::isHealthy,
                  channels::size);
    } catch (IOException e) {
      shutdownExecutors();
      throw new UncheckedIOException("cannot open the admin endpoint: " + e.getMessage(), e);
    } catch (RuntimeException | InterruptedException e) {
      // Nothing started may outlive a failed start (the caller closes the store).
      shutdownExecutors();
      throw e;
    }
  }

  /**
   * Closes a connection over {@code max-connections} before it costs anything: past the limit the
   * heap would run out for everyone (about 2.4 KiB per connection; docs/BENCHMARKS.md). Says so in
   * the log at most once a minute, so a flood cannot flood the log too.
   */
  private void refuse(Channel ch) {
    ch.close();
    long now = System.nanoTime();
    long last = lastRefusalLog.get();
    if ((last == 0 || now - last > TimeUnit.MINUTES.toNanos(1))
        && lastRefusalLog.compareAndSet(last, now)) {
      log.warn(
          "max-connections ({}) reached: closing new connections until some close",
          config.<Integer>get(ServerConfig.Key.MAX_CONNECTIONS));
    }
  }

  private void shutdownExecutors() {
    workers.shutdownNow();
    housekeeping.shutdownNow();
    recorder.close();
    router.close();
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    io.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
  }

  /** Starts a server with the system clock. */
  public static ImpsServer start(ServerConfig config) {
    return start(config, Clock.systemUTC());
  }

  /** Starts a server; {@code clock} drives every server time (tests move it). */
  public static ImpsServer start(ServerConfig config, Clock clock) {
    return start(config, clock, Stores.open(config, clock));
  }

  /**
   * Starts a server on a store opened by the caller (tests wrap a real store to inject faults). The
   * server closes the store when it stops.
   */
  public static ImpsServer start(ServerConfig config, Clock clock, Store store) {
    try {
      ImpsServer s = new ImpsServer(config, clock, store);
      log.info(
          "IMPS listening on {}:{} ({}), store: {}, cluster: {}",
          config.host(),
          s.port(),
          Epoll.isAvailable() ? "epoll" : "nio",
          s.store.describe(),
          config.cluster().name().toLowerCase(java.util.Locale.ROOT));
      if (s.health != null) {
        log.info(
            "health check on http://{}:{}/health",
            config.get(ServerConfig.Key.ADMIN_HOST),
            s.adminPort());
      }
      return s;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      store.close();
      throw new IllegalStateException("interrupted while starting", e);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /** The port actually bound (useful with port 0). */
  public int port() {
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  public ServerConfig config() {
    return config;
  }

  /** The store (for tests and admin tools). */
  public Store store() {
    return store;
  }

  /** The admin HTTP port, or -1 when the endpoint is off. */
  public int adminPort() {
    return health == null ? -1 : health.port();
  }

  /** Number of open client connections. */
  public int connectionCount() {
    return channels.size();
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
    listener.close().awaitUninterruptibly();
    channels.close().awaitUninterruptibly(10, TimeUnit.SECONDS);
    workers.shutdown();
    try {
      workers.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    housekeeping.shutdownNow();
    recorder.close();
    router.close();
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    io.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    store.close();
    log.info("IMPS stopped");
  }

  private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
