package imps.server.transport.web;

import imps.protocol.codec.DecodeError;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The server's side of the WebSocket closing handshake (RFC 6455 section 7), right after Netty's
 * frame decoder, so that every close of an upgraded connection passes here whoever starts it.
 *
 * <p>A close the server starts writes a close frame with the status set by {@link #closeWith} (1000
 * unless a refusal set another), half-closes a plain connection (FIN after the close frame), then
 * reads and drops whatever the client still sends until its close frame or the end of its stream
 * arrives, or {@link #CLOSE_WAIT} has passed, and only then closes the socket. Closing at once with
 * the client's data unread (the rest of a message too large to take) makes the kernel answer with a
 * reset, and a reset can destroy the close frame before the client reads it: the client would see
 * an abnormal closure instead of the status.
 *
 * <p>A close the client starts is answered by Netty's protocol handler (it echoes the close frame
 * and closes the socket, as the server should close the TCP connection first).
 *
 * <p>A violation the frame decoder finds (a frame over one IMPS frame's size: 1009; a malformed
 * WebSocket frame: 1002) becomes a fatal {@link DecodeError} for the connection handler, which
 * answers {@code S_ERROR_RSP(8, 0)} and closes, as for a broken TCP stream. The decoder drops
 * everything after a violation (it cannot find the next frame), so then the end of the client's
 * stream, or the wait, ends the handshake. One instance per channel.
 */
final class ClosingHandshake extends ChannelDuplexHandler {
  /** How long the server waits for the client's close frame before it closes anyway. */
  static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

  private WebSocketCloseStatus status = WebSocketCloseStatus.NORMAL_CLOSURE;
  // The client started the closing handshake: Netty's protocol handler echoes it and closes.
  private boolean clientClosed;
  // Completed when the socket closes, once the server has sent its close frame; null before.
  private ChannelPromise closing;
  private ScheduledFuture<?> wait;
  private boolean finished;

  /** The status of the close frame the server sends when it closes; the first refusal's wins. */
  void closeWith(WebSocketCloseStatus why) {
    if (closing == null && status == WebSocketCloseStatus.NORMAL_CLOSURE) {
      status = why;
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (closing != null) {
      boolean answered = msg instanceof CloseWebSocketFrame;
      ReferenceCountUtil.release(msg);
      if (answered) {
        finish(ctx);
      }
      return;
    }
    if (msg instanceof PingWebSocketFrame && !ctx.channel().isWritable()) {
      // Netty's protocol handler answers each ping with a pong, past the output limit the session's
      // frames keep to: a client that pings and never reads would have a pong held for each. While
      // output waits, pings go unanswered (RFC 6455 5.5.3 lets an endpoint answer only the latest).
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof CloseWebSocketFrame) {
      clientClosed = true;
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!(cause instanceof CorruptedWebSocketFrameException bad)) {
      ctx.fireExceptionCaught(cause);
      return;
    }
    if (closing != null) {
      return; // input is being dropped anyway
    }
    closeWith(
        bad.closeStatus() == WebSocketCloseStatus.MESSAGE_TOO_BIG
            ? WebSocketCloseStatus.MESSAGE_TOO_BIG
            : WebSocketCloseStatus.PROTOCOL_ERROR);
    ctx.fireChannelRead(new DecodeError(DecodeError.Kind.FRAMING, 0, bad.getMessage()));
  }

  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
    Channel ch = ctx.channel();
    if (closing != null) {
      // Already closing: done when the socket is.
      ch.closeFuture().addListener(f -> promise.trySuccess());
      return;
    }
    if (clientClosed || !ch.isActive()) {
      ctx.close(promise);
      return;
    }
    closing = promise;
    // Whatever paused reading (a full request queue, a drain), the client's bytes must be read now.
    ch.config().setAutoRead(true);
    ctx.read();
    wait = ctx.executor().schedule(() -> finish(ctx), CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    ctx.writeAndFlush(new CloseWebSocketFrame(status))
        .addListener(
            (ChannelFutureListener)
                f -> {
                  if (!f.isSuccess()) {
                    finish(ctx);
                  } else if (ch instanceof DuplexChannel duplex
                      && ctx.pipeline().get(SslHandler.class) == null) {
                    // Under TLS a FIN without close_notify would look like a truncation attack to
                    // the client; there the close frame alone asks for the client's.
                    duplex.shutdownOutput();
                  }
                });
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    finish(ctx);
    ctx.fireChannelInactive();
  }

  /** Closes the socket once the server's close frame is out (idempotent). */
  private void finish(ChannelHandlerContext ctx) {
    if (closing == null || finished) {
      return;
    }
    finished = true;
    if (wait != null) {
      wait.cancel(false);
    }
    ctx.close(closing);
  }
}
