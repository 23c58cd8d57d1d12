package imps.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.net.URI;
import java.util.concurrent.CompletableFuture;

/**
 * A bench connection over WebSocket ({@code --websocket}): the HTTP upgrade on the server's web
 * port, then, as the web client does, one binary WebSocket message per IMPS frame both ways. Sits
 * between the WebSocket stages and the frame codec; {@link #open} completes once the upgrade is
 * done (the connection then counts as open) and fails if it is refused or the channel closes first.
 */
final class WebSocketLink extends ChannelDuplexHandler {
  /** The largest message the server takes: one whole frame (header and 65535 content bytes). */
  private static final int MAX_MESSAGE_BYTES = 4 + 65535;

  // HTTP requests and responses of the upgrade are tiny.
  private static final int MAX_HTTP_BYTES = 8192;

  final CompletableFuture<Void> open = new CompletableFuture<>();

  /** Appends the HTTP and WebSocket stages for {@code uri} ({@code ws://} or {@code wss://}). */
  static WebSocketLink addTo(ChannelPipeline p, URI uri, long handshakeTimeoutMillis) {
    WebSocketLink link = new WebSocketLink();
    WebSocketClientProtocolConfig config =
        WebSocketClientProtocolConfig.newBuilder()
            .webSocketUri(uri)
            .maxFramePayloadLength(MAX_MESSAGE_BYTES)
            .handshakeTimeoutMillis(handshakeTimeoutMillis)
            .dropPongFrames(true)
            .build();
    p.addLast(new HttpClientCodec(), new HttpObjectAggregator(MAX_HTTP_BYTES));
    p.addLast(new WebSocketClientProtocolHandler(config), link);
    return link;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
      open.complete(null);
    } else if (evt == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
      open.completeExceptionally(new IllegalStateException("WebSocket handshake timed out"));
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (open.completeExceptionally(cause)) {
      ctx.close();
      return;
    }
    ctx.fireExceptionCaught(cause);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    open.completeExceptionally(new IllegalStateException("closed before the WebSocket upgrade"));
    ctx.fireChannelInactive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof BinaryWebSocketFrame frame) {
      // The server sends each frame as one unfragmented message.
      ctx.fireChannelRead(frame.content());
    } else if (msg instanceof WebSocketFrame) {
      ReferenceCountUtil.release(msg);
    } else {
      ctx.fireChannelRead(msg);
    }
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    ctx.write(msg instanceof ByteBuf frame ? new BinaryWebSocketFrame(frame) : msg, promise);
  }
}
