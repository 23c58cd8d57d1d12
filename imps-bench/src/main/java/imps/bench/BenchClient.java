package imps.bench;

import imps.protocol.codec.FrameDecoder;
import imps.protocol.codec.FrameEncoder;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The load generator's transport: one Netty event loop group and a bootstrap whose pipeline is TLS
 * (with {@code --tls}), the WebSocket upgrade (with {@code --websocket}: {@link WebSocketLink}),
 * the protocol's frame codec and a {@link Conn}. Connections can be bound to chosen loopback source
 * addresses so that more than one address's ephemeral port range is available.
 */
public final class BenchClient implements AutoCloseable {
  private static final FrameEncoder ENCODER = new FrameEncoder();
  private static final String TLS = "tls";

  private final EventLoopGroup group;
  private final Bootstrap bootstrap;
  private final InetSocketAddress server;
  private final InetAddress[] sources;
  private final SslContext tls;
  private final String host;
  // ws:// or wss:// address of the server's WebSocket endpoint with --websocket, else null.
  private final URI websocket;

  /**
   * @param host the server's address; must be a loopback address
   * @param port the server's port
   * @param ioThreads event loop threads
   * @param sourceAddresses how many loopback source addresses (127.0.0.2 ...) to spread over; 0
   *     lets the OS choose
   */
  public BenchClient(String host, int port, int ioThreads, int sourceAddresses)
      throws UnknownHostException {
    this(host, port, ioThreads, sourceAddresses, null);
  }

  /**
   * @param tls the TLS context of every connection, or {@code null} for plain TCP; the host name is
   *     checked against {@code host}, and a connection counts as open once its handshake is done
   */
  public BenchClient(String host, int port, int ioThreads, int sourceAddresses, SslContext tls)
      throws UnknownHostException {
    this(host, port, ioThreads, sourceAddresses, tls, false);
  }

  /**
   * @param websocket whether to connect over WebSocket to the server's web port ({@code /ws}, one
   *     binary message per frame); a connection counts as open once its upgrade is done
   */
  public BenchClient(
      String host, int port, int ioThreads, int sourceAddresses, SslContext tls, boolean websocket)
      throws UnknownHostException {
    this.tls = tls;
    this.host = host;
    InetAddress addr = InetAddress.getByName(host);
    if (!addr.isLoopbackAddress()) {
      throw new IllegalArgumentException(
          "refusing non-loopback host " + host + ": the benchmark only sends to loopback");
    }
    this.server = new InetSocketAddress(addr, port);
    String authority =
        (addr.getAddress().length == 4 ? host : "[" + addr.getHostAddress() + "]") + ":" + port;
    this.websocket =
        websocket ? URI.create((tls != null ? "wss://" : "ws://") + authority + "/ws") : null;
    boolean v4 = addr.getAddress().length == 4;
    int n = v4 ? Math.max(0, Math.min(sourceAddresses, 250)) : 0;
    this.sources = new InetAddress[n];
    for (int i = 0; i < n; i++) {
      sources[i] = InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (2 + i)});
    }
    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    this.group = new MultiThreadIoEventLoopGroup(ioThreads, factory);
    this.bootstrap =
        new Bootstrap()
            .group(group)
            .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    // The Conn is added in connect(), once the channel exists.
                  }
                });
  }

  public int sourceAddressCount() {
    return sources.length;
  }

  /** Opens a connection for {@code conn}; the future fails with the OS's reason. */
  public CompletableFuture<Conn> connect(Conn conn) {
    CompletableFuture<Conn> f = new CompletableFuture<>();
    Bootstrap b =
        bootstrap
            .clone()
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    conn.bind(ch);
                    if (tls != null) {
                      SslHandler ssl = tls.newHandler(ch.alloc(), host, server.getPort());
                      // As the server's (its login-timeout): handshakes queue in a connect storm.
                      ssl.setHandshakeTimeoutMillis(30_000);
                      ch.pipeline().addLast(TLS, ssl);
                    }
                    if (websocket != null) {
                      WebSocketLink.addTo(ch.pipeline(), websocket, 30_000);
                    }
                    ch.pipeline().addLast(new FrameDecoder(), ENCODER, conn);
                  }
                });
    ChannelFuture cf =
        sources.length == 0
            ? b.connect(server)
            : b.connect(
                server,
                new InetSocketAddress(sources[Math.floorMod(conn.index, sources.length)], 0));
    cf.addListener(
        (ChannelFuture done) -> {
          if (!done.isSuccess()) {
            f.completeExceptionally(done.cause());
            return;
          }
          WebSocketLink link = done.channel().pipeline().get(WebSocketLink.class);
          if (link != null) {
            // After the TLS handshake, if any: the upgrade is the last step.
            link.open.whenComplete(
                (v, e) -> {
                  if (e == null) {
                    f.complete(conn);
                  } else {
                    done.channel().close();
                    f.completeExceptionally(e);
                  }
                });
            return;
          }
          SslHandler ssl = (SslHandler) done.channel().pipeline().get(TLS);
          if (ssl == null) {
            f.complete(conn);
            return;
          }
          ssl.handshakeFuture()
              .addListener(
                  h -> {
                    if (h.isSuccess()) {
                      f.complete(conn);
                    } else {
                      done.channel().close();
                      f.completeExceptionally(h.cause());
                    }
                  });
        });
    return f;
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
  }
}
