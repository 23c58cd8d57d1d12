package imps.server.transport;

import imps.server.config.ServerConfig;
import imps.server.delivery.DeliveryRecorder;
import imps.server.dispatch.RequestDispatcher;
import imps.server.transport.web.TransportStages;
import imps.server.transport.web.WebAssets;
import imps.server.transport.web.WebChannelInitializer;
import imps.server.transport.web.WebSettings;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The client listeners: event loops (epoll where available), the bound server sockets (the IMPS TCP
 * port and, unless turned off, the web port) and every open connection. {@link #close} stops
 * accepting, closes the connections and stops the loops.
 */
public final class ServerTransport implements AutoCloseable {
  private final EventLoopGroup boss;
  private final EventLoopGroup io;
  private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final Channel listener;
  // The web client's port (static files and WebSockets), or null when web.enabled is false.
  private final Channel webListener;

  private ServerTransport(
      ServerConfig config, RequestDispatcher dispatcher, DeliveryRecorder recorder) {
    IoHandlerFactory factory =
        Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    Class<? extends ServerChannel> channelType =
        Epoll.isAvailable() ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    this.boss = new MultiThreadIoEventLoopGroup(1, factory);
    int ioThreads = config.get(ServerConfig.Key.IO_THREADS);
    // One event loop per core by default (Netty's own default is two): more runnable threads
    // than cores only add scheduling delay to every frame.
    this.io =
        new MultiThreadIoEventLoopGroup(
            ioThreads > 0 ? ioThreads : Runtime.getRuntime().availableProcessors(), factory);
    ConnectionLimitHandler limit =
        new ConnectionLimitHandler(channels, config.get(ServerConfig.Key.MAX_CONNECTIONS));
    ServerChannelInitializer initializer =
        new ServerChannelInitializer(config, limit, dispatcher, recorder);
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
                new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
            .childHandler(initializer);
    Channel bound;
    try {
      bound = b.bind(config.host(), config.port()).syncUninterruptibly().channel();
    } catch (RuntimeException e) {
      stopLoops();
      throw new CannotListenException(config.host(), config.port(), e);
    }
    this.listener = bound;
    this.webListener = WebSettings.enabled(config) ? bindWeb(config, b, initializer) : null;
  }

  /** Binds the web port on the same event loops, sharing the connection limit with TCP. */
  private Channel bindWeb(ServerConfig config, ServerBootstrap tcp, TransportStages stages) {
    WebSettings web = WebSettings.from(config);
    try {
      WebAssets assets = WebAssets.load(web);
      ServerBootstrap b = tcp.clone().childHandler(new WebChannelInitializer(web, assets, stages));
      return b.bind(web.host(), web.port()).syncUninterruptibly().channel();
    } catch (RuntimeException e) {
      listener.close().awaitUninterruptibly();
      stopLoops();
      throw new CannotListenException(web.host(), web.port(), e);
    }
  }

  /**
   * Binds the client port and starts accepting.
   *
   * @throws CannotListenException when the port cannot be bound (in use, no permission)
   */
  public static ServerTransport start(
      ServerConfig config, RequestDispatcher dispatcher, DeliveryRecorder recorder) {
    return new ServerTransport(config, dispatcher, recorder);
  }

  /** The port actually bound (useful with port 0). */
  public int port() {
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  /** The web port actually bound, or -1 when the web client is off. */
  public int webPort() {
    return webListener == null ? -1 : ((InetSocketAddress) webListener.localAddress()).getPort();
  }

  /** "epoll" or "nio". */
  public String kind() {
    return Epoll.isAvailable() ? "epoll" : "nio";
  }

  /** Number of open client connections. */
  public int connectionCount() {
    return channels.size();
  }

  /** Stops accepting, closes every connection (waiting up to 10 s), stops the event loops. */
  @Override
  public void close() {
    closeListeners();
    channels.close().awaitUninterruptibly(10, TimeUnit.SECONDS);
    stopLoops();
  }

  /** Stops accepting and closes every connection, leaving the event loops running. */
  public void closeConnections() {
    closeListeners();
    channels.close().awaitUninterruptibly(10, TimeUnit.SECONDS);
  }

  private void closeListeners() {
    listener.close().awaitUninterruptibly();
    if (webListener != null) {
      webListener.close().awaitUninterruptibly();
    }
  }

  /** Stops the event loops (after {@link #closeConnections}). */
  public void stopLoops() {
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    io.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
  }

  /** The client port could not be bound. */
  public static final class CannotListenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CannotListenException(String host, int port, Throwable cause) {
      super("cannot listen on " + host + ":" + port + ": " + reason(cause), cause);
    }

    private static String reason(Throwable e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof BindException
            || String.valueOf(t.getMessage()).contains("Address already in use")) {
          return "address already in use";
        }
      }
      return String.valueOf(e.getMessage());
    }
  }
}
