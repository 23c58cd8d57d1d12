package imps.server.transport;

import imps.server.config.ServerConfig;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * The client listeners' event loops (epoll where available, else NIO) and the socket options they
 * all share: one loop accepts on every listening socket, the I/O loops ({@code io-threads}) serve
 * the connections. {@link #bind} opens one listener on them; {@link #close} stops the loops.
 */
final class EventLoops implements AutoCloseable {
  private final EventLoopGroup boss;
  private final EventLoopGroup io;
  // The options of every listener; each bind clones it and adds its own pipeline.
  private final ServerBootstrap listener;

  EventLoops(ServerConfig config) {
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
    this.listener =
        new ServerBootstrap()
            .group(boss, io)
            .channel(channelType)
            .option(ChannelOption.SO_BACKLOG, 4096)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.SO_KEEPALIVE, true)
            // Above 1 MiB queued a connection is "not writable": the login backlog waits for it.
            .childOption(
                ChannelOption.WRITE_BUFFER_WATER_MARK,
                new WriteBufferWaterMark(256 * 1024, 1024 * 1024));
    if (Epoll.isAvailable()) {
      // A peer that stopped acknowledging (a phone without network) is dropped after this, not
      // after the idle timeout: what was written to it comes again at its next login.
      listener.childOption(
          EpollChannelOption.TCP_USER_TIMEOUT,
          (int) config.get(ServerConfig.Key.TCP_USER_TIMEOUT).toMillis());
    }
  }

  /**
   * Binds one listener whose connections get the pipeline of {@code pipeline}.
   *
   * @return the listening channel
   * @throws CannotListenException when the port cannot be bound (in use, no permission)
   */
  Channel bind(String host, int port, ChannelHandler pipeline) {
    // Not syncUninterruptibly(): it rethrows the bind failure, a checked IOException, unchecked,
    // so that no catch clause sees it coming (a taken port ended the process with a stack trace).
    ChannelFuture bound;
    try {
      bound = listener.clone().childHandler(pipeline).bind(host, port).awaitUninterruptibly();
    } catch (RuntimeException e) {
      throw new CannotListenException(host, port, e);
    }
    if (!bound.isSuccess()) {
      throw new CannotListenException(host, port, bound.cause());
    }
    return bound.channel();
  }

  /** "epoll" or "nio". */
  String kind() {
    return Epoll.isAvailable() ? "epoll" : "nio";
  }

  /** Stops the loops (each group within about 2 s); close the connections first. */
  @Override
  public void close() {
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    io.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
  }
}
