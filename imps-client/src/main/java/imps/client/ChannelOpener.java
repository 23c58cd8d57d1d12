package imps.client;

import imps.protocol.codec.FrameDecoder;
import imps.protocol.codec.FrameEncoder;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Opens the channels of one {@link ClientConnection}: TCP to the configured host and port with the
 * options' connect timeout, TLS when enabled (the handshake bounded by the same timeout), then the
 * frame codec and the connection's own last handler.
 */
final class ChannelOpener {
  private static final String TLS_HANDLER = "tls";

  private final ClientOptions options;
  private final Bootstrap bootstrap;

  /**
   * @param tls {@code null}: plain TCP
   * @param loop the connection's I/O thread, which owns every channel
   * @param lastHandler makes the last handler of each new pipeline
   */
  ChannelOpener(
      ClientOptions options, SslContext tls, EventLoop loop, Supplier<ChannelHandler> lastHandler) {
    this.options = options;
    this.bootstrap =
        new Bootstrap()
            .group(loop)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.SO_KEEPALIVE, true)
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS,
                (int) Math.min(Integer.MAX_VALUE, options.connectTimeout().toMillis()))
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    if (tls != null) {
                      // The host name given is the one the certificate must name (and the SNI).
                      SslHandler ssl = tls.newHandler(ch.alloc(), options.host(), options.port());
                      ssl.setHandshakeTimeoutMillis(options.connectTimeout().toMillis());
                      ch.pipeline().addLast(TLS_HANDLER, ssl);
                    }
                    ch.pipeline()
                        .addLast(new FrameDecoder(), new FrameEncoder(), lastHandler.get());
                  }
                });
  }

  /**
   * Opens a channel; {@code then} runs on the I/O thread with the channel once it is usable (its
   * TLS handshake done), or with {@code null} and why not (a channel whose handshake failed is
   * closed).
   */
  void open(BiConsumer<Channel, ImpsConnectionException> then) {
    ChannelFuture cf = bootstrap.connect(options.host(), options.port());
    cf.addListener(
        f -> {
          if (!f.isSuccess()) {
            then.accept(
                null,
                ImpsConnectionException.connectFailed(options.host(), options.port(), f.cause()));
            return;
          }
          Channel ch = cf.channel();
          SslHandler ssl = (SslHandler) ch.pipeline().get(TLS_HANDLER);
          if (ssl == null) {
            then.accept(ch, null);
            return;
          }
          ssl.handshakeFuture()
              .addListener(
                  h -> {
                    if (h.isSuccess()) {
                      then.accept(ch, null);
                    } else {
                      ch.close();
                      then.accept(
                          null,
                          ImpsConnectionException.tlsFailed(
                              options.host(), options.port(), h.cause()));
                    }
                  });
        });
  }
}
