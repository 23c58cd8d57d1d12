package imps.server.transport.web;

import imps.protocol.Limits;
import imps.protocol.codec.DecodeError;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * One binary WebSocket message carries exactly one IMPS frame, header included. Inbound, the
 * message's bytes go on to the frame decoder as they are; outbound, each encoded frame becomes one
 * binary message.
 *
 * <p>A message that is not exactly one frame (split across messages, two frames in one, a bad tag
 * or length) or a text message is a framing violation: the connection handler downstream gets a
 * fatal {@link DecodeError}, answers {@code S_ERROR_RSP(8, 0)} and closes, as it does for a broken
 * TCP stream. The close that follows says why ({@link ClosingHandshake}): 1002 for a violation,
 * 1003 for text, 1009 for a message over one frame's size.
 */
final class WebSocketFrameAdapter extends ChannelDuplexHandler {
  private final ClosingHandshake closing;
  private boolean refused;

  WebSocketFrameAdapter(ClosingHandshake closing) {
    this.closing = closing;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof WebSocketFrame frame)) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (refused) {
      frame.release();
      return;
    }
    if (!(frame instanceof BinaryWebSocketFrame)) {
      frame.release();
      refuse(ctx, WebSocketCloseStatus.INVALID_MESSAGE_TYPE, "binary messages only");
      return;
    }
    String problem = problem(frame.content());
    if (problem != null) {
      frame.release();
      refuse(ctx, WebSocketCloseStatus.PROTOCOL_ERROR, problem);
      return;
    }
    ctx.fireChannelRead(frame.content());
  }

  /** Why {@code message} is not exactly one well-formed IMPS frame, or {@code null} if it is. */
  static String problem(ByteBuf message) {
    int n = message.readableBytes();
    int at = message.readerIndex();
    if (n < Limits.HEADER_LENGTH) {
      return "message shorter than a frame header";
    }
    if (message.getByte(at) != 'O' || message.getByte(at + 1) != 'K') {
      return "bad frame tag";
    }
    int length = message.getUnsignedShort(at + 2);
    if (length == 0) {
      return "Content-Length 0";
    }
    if (n < Limits.HEADER_LENGTH + length) {
      return "frame split across messages";
    }
    if (n > Limits.HEADER_LENGTH + length) {
      return "more than one frame in a message";
    }
    return null;
  }

  private void refuse(ChannelHandlerContext ctx, WebSocketCloseStatus status, String reason) {
    refused = true;
    closing.closeWith(status);
    ctx.fireChannelRead(new DecodeError(DecodeError.Kind.FRAMING, 0, reason));
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof TooLongFrameException && !refused) {
      // The aggregator's verdict on a fragmented message larger than one frame.
      refuse(ctx, WebSocketCloseStatus.MESSAGE_TOO_BIG, "message larger than one frame");
      return;
    }
    ctx.fireExceptionCaught(cause);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof ByteBuf frame) {
      ctx.write(new BinaryWebSocketFrame(frame), promise);
    } else {
      ctx.write(msg, promise);
    }
  }
}
