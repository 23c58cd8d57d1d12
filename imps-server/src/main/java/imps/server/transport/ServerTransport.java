package imps.server.transport;

import imps.protocol.message.ImpsMessage;
import imps.server.config.CidrList;
import imps.server.config.ServerConfig;
import imps.server.delivery.DeliveryRecorder;
import imps.server.dispatch.RequestDispatcher;
import imps.server.limit.StateBytes;
import imps.server.transport.tls.TlsContexts;
import imps.server.transport.tls.TlsException;
import imps.server.transport.web.WebAssets;
import imps.server.transport.web.WebChannelInitializer;
import imps.server.transport.web.WebSettings;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The client listeners: the bound server sockets (on {@code EventLoops}: epoll where available) and
 * every open connection. There is a plain TCP port unless {@code tls.required} is set, a TLS port
 * when a certificate is configured, and the web client's HTTP port unless {@code web.enabled} is
 * false (which with a certificate speaks TLS too: HTTPS and WSS, only those with {@code
 * tls.required}); all share the loops, the connection limit and the session stages. {@link #close}
 * stops accepting, closes the connections and stops the loops.
 */
public final class ServerTransport implements AutoCloseable {
  private final EventLoops loops;
  private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final OpenSessions openSessions = new OpenSessions();
  private final TlsContexts tls;
  private final Channel plain;
  private final Channel secure;
  // The web client's port (static files and WebSockets), or null when web.enabled is false.
  private final Channel web;
  private final OutputBudget output;
  private final AddressBans bans = new AddressBans();
  private final ConnectionLimits limits;

  private ServerTransport(
      ServerConfig config,
      RequestDispatcher dispatcher,
      DeliveryRecorder recorder,
      CidrList bannedAddresses) {
    bans.replace(bannedAddresses);
    this.tls = TlsContexts.open(config).orElse(null);
    this.loops = new EventLoops(config);
    ConnectionLimitHandler limit =
        new ConnectionLimitHandler(channels, config.get(ServerConfig.Key.MAX_CONNECTIONS), bans);
    this.output =
        new OutputBudget(channels, config.get(ServerConfig.Key.OUTPUT_BUDGET_BYTES).longValue());
    this.limits =
        new ConnectionLimits(
            new AddressLimits(
                config.get(ServerConfig.Key.LIMIT_CONNECTIONS_PER_ADDRESS),
                config.get(ServerConfig.Key.LIMIT_UNAUTHENTICATED_PER_ADDRESS),
                config.get(ServerConfig.Key.LIMIT_EXEMPT),
                bans,
                StateBytes.perMap(),
                Clock.systemUTC()),
            new AtomicReference<>(config.get(ServerConfig.Key.LIMIT_REQUESTS)),
            config.get(ServerConfig.Key.OUTPUT_MAX_BYTES_PER_CONNECTION),
            output);
    ServerChannelInitializer plainPipeline =
        new ServerChannelInitializer(
            config, limit, dispatcher, recorder, limits, null, openSessions);
    ServerChannelInitializer securePipeline =
        tls == null
            ? null
            : new ServerChannelInitializer(
                config, limit, dispatcher, recorder, limits, tls, openSessions);
    Channel plainBound = null;
    Channel secureBound = null;
    Channel webBound = null;
    try {
      if (!config.get(ServerConfig.Key.TLS_REQUIRED)) {
        plainBound = loops.bind(config.host(), config.port(), plainPipeline);
      }
      if (tls != null) {
        secureBound =
            loops.bind(config.host(), config.get(ServerConfig.Key.TLS_PORT), securePipeline);
      }
      if (WebSettings.enabled(config)) {
        WebSettings settings = WebSettings.from(config);
        webBound =
            loops.bind(
                settings.host(),
                settings.port(),
                new WebChannelInitializer(
                    settings,
                    WebAssets.load(settings),
                    securePipeline != null ? securePipeline : plainPipeline));
      }
    } catch (RuntimeException e) {
      for (Channel bound : new Channel[] {plainBound, secureBound, webBound}) {
        if (bound != null) {
          bound.close().awaitUninterruptibly();
        }
      }
      output.close();
      stopLoops();
      throw e;
    }
    this.plain = plainBound;
    this.secure = secureBound;
    this.web = webBound;
  }

  /**
   * Binds the client ports and starts accepting.
   *
   * @throws CannotListenException when a port cannot be bound (in use, no permission)
   * @throws TlsException when the TLS settings or files cannot be used
   */
  public static ServerTransport start(
      ServerConfig config,
      RequestDispatcher dispatcher,
      DeliveryRecorder recorder,
      CidrList bannedAddresses) {
    return new ServerTransport(config, dispatcher, recorder, bannedAddresses);
  }

  /**
   * Applies the connection limits of {@code next} ({@code limit.requests}, {@code
   * limit.connections-per-address}, {@code limit.unauthenticated-per-address}, {@code
   * limit.exempt}) to the running listeners (a reload); open connections stay open.
   */
  public void updateLimits(ServerConfig next) {
    limits.requests().set(next.get(ServerConfig.Key.LIMIT_REQUESTS));
    limits
        .addresses()
        .update(
            next.get(ServerConfig.Key.LIMIT_CONNECTIONS_PER_ADDRESS),
            next.get(ServerConfig.Key.LIMIT_UNAUTHENTICATED_PER_ADDRESS),
            next.get(ServerConfig.Key.LIMIT_EXEMPT));
  }

  /**
   * Replaces the banned client address blocks (admin {@code bans}): new connections from them are
   * closed as they are admitted, and open connections from them are closed now, at once (no notice:
   * what they had sent and not been answered is not applied). A connection's address is its
   * client's (after a PROXY header or X-Forwarded-For), else its peer's.
   *
   * @return how many open connections were closed
   */
  public int banAddresses(CidrList blocks) {
    if (blocks.equals(bans.blocks())) {
      return 0;
    }
    bans.replace(blocks);
    if (blocks.blocks().isEmpty()) {
      return 0;
    }
    int closed = 0;
    for (Channel ch : channels) {
      ConnectionHandler h = ch.pipeline().get(ConnectionHandler.class);
      boolean banned =
          h != null
              ? bans.contains(h.connection().remoteAddress())
              : ch.remoteAddress() instanceof InetSocketAddress a
                  && a.getAddress() != null
                  && bans.contains(a.getAddress());
      if (banned) {
        ch.close();
        closed++;
      }
    }
    return closed;
  }

  /** The plain port actually bound (useful with port 0), or -1 with {@code tls.required}. */
  public int port() {
    return portOf(plain);
  }

  /** The TLS port actually bound, or -1 when TLS is off. */
  public int tlsPort() {
    return portOf(secure);
  }

  /** Whether the web port speaks TLS (a certificate is configured). */
  public boolean webTls() {
    return web != null && tls != null;
  }

  /** The web port actually bound, or -1 when the web client is off. */
  public int webPort() {
    return portOf(web);
  }

  private static int portOf(Channel listener) {
    return listener == null ? -1 : ((InetSocketAddress) listener.localAddress()).getPort();
  }

  /**
   * Loads the TLS certificate and key files again (SIGHUP); new connections get the new pair,
   * established ones keep theirs. The future completes when done; at once when TLS is off.
   */
  public Future<?> reloadTls() {
    return tls == null ? CompletableFuture.completedFuture(null) : tls.reload();
  }

  /** "epoll" or "nio". */
  public String kind() {
    return loops.kind();
  }

  /** Number of open client connections. */
  public int connectionCount() {
    return channels.size();
  }

  /** Bytes waiting to be written to all clients now. */
  public long outputWaiting() {
    return output.waiting();
  }

  /** Connections closed because output to all clients was over its budget; for tests. */
  public long closedForOutputBudget() {
    return output.closed();
  }

  /** Open connections of one transport: "tcp", "tls" or "websocket" (counted each call). */
  public int connectionCount(String transport) {
    int n = 0;
    for (Channel ch : channels) {
      if (transportOf(ch).equals(transport)) {
        n++;
      }
    }
    return n;
  }

  /** Logged-in sessions on this node (counted each call). */
  public int sessionCount() {
    int n = 0;
    for (Channel ch : channels) {
      ConnectionHandler h = ch.pipeline().get(ConnectionHandler.class);
      if (h != null && h.session().isLoggedIn()) {
        n++;
      }
    }
    return n;
  }

  /** Stops accepting, closes every connection (waiting up to 10 s), stops the event loops. */
  @Override
  public void close() {
    closeConnections();
    stopLoops();
  }

  /** Stops accepting and closes every connection, leaving the event loops running. */
  public void closeConnections() {
    stopAccepting();
    channels.close().awaitUninterruptibly(10, TimeUnit.SECONDS);
  }

  /** Closes the listening sockets: new connections are refused, open ones go on. */
  public void stopAccepting() {
    for (Channel listener : new Channel[] {plain, secure, web}) {
      if (listener != null) {
        listener.close().awaitUninterruptibly();
      }
    }
  }

  /**
   * Graceful drain (finding M8): stops accepting; stops reading every connection; lets each answer,
   * in order, the requests it had already read; then writes {@code notice} to it and closes it.
   * Returns once every connection has closed and its session signed out, or when {@code limit} has
   * passed, and then closes what is left at once. The event loops keep running (delivery marks of
   * the last frames still arrive on them).
   *
   * @return whether everything drained within the limit
   */
  public boolean drain(ImpsMessage notice, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    stopAccepting();
    Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    return ConnectionDrain.drain(channels, openSessions, notice, left);
  }

  /** The logged-in sessions of this node (admin {@code sessions list}, {@code kick}, notices). */
  public LiveSessions sessions() {
    return new TransportSessions(channels, this::transportOf);
  }

  private String transportOf(Channel ch) {
    Channel parent = ch.parent();
    if (parent == web) {
      return "websocket";
    }
    return parent == secure ? "tls" : "tcp";
  }

  /** Connections whose session has not yet signed out (for tests and the drain's log). */
  public int openSessions() {
    return openSessions.count();
  }

  /** Stops the event loops (after {@link #closeConnections}) and the TLS file checks. */
  public void stopLoops() {
    output.close();
    if (tls != null) {
      tls.close();
    }
    loops.close();
  }
}
