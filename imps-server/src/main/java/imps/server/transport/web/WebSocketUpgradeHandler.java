package imps.server.transport.web;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler.HandshakeComplete;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler.ServerHandshakeStateEvent;
import io.netty.util.NetUtil;

/**
 * The last HTTP stage: when the WebSocket handshake completes it drops the HTTP-only stages, adds
 * the {@link ClosingHandshake} after Netty's frame decoder, the message aggregator and the {@link
 * WebSocketFrameAdapter}, appends the IMPS session stages and tells them the connection is active
 * (their login and idle timers start now, as a TCP connection's start at accept). One instance per
 * channel; it replaces itself.
 */
final class WebSocketUpgradeHandler extends ChannelInboundHandlerAdapter {
  private final TransportStages stages;
  private final boolean forwardedFor;
  private final int maxMessageBytes;

  WebSocketUpgradeHandler(TransportStages stages, boolean forwardedFor, int maxMessageBytes) {
    this.stages = stages;
    this.forwardedFor = forwardedFor;
    this.maxMessageBytes = maxMessageBytes;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof HandshakeComplete done) {
      upgrade(ctx, done);
    } else if (evt == ServerHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
      ctx.close();
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }

  private void upgrade(ChannelHandlerContext ctx, HandshakeComplete done) {
    ChannelPipeline p = ctx.pipeline();
    p.remove(WebPipelineNames.HTTP_IDLE);
    p.remove(WebPipelineNames.STATIC_FILES);
    ClosingHandshake closing = new ClosingHandshake();
    p.addAfter(
        p.context(WebSocketFrameDecoder.class).name(), WebPipelineNames.WEBSOCKET_CLOSING, closing);
    p.addBefore(
        ctx.name(),
        WebPipelineNames.WEBSOCKET_AGGREGATOR,
        new WebSocketFrameAggregator(maxMessageBytes));
    p.replace(this, WebPipelineNames.WEBSOCKET_FRAMES, new WebSocketFrameAdapter(closing));
    stages.addSession(p, forwardedFor ? forwardedClient(done.requestHeaders()) : null);
    p.context(WebPipelineNames.WEBSOCKET_FRAMES).fireChannelActive();
  }

  /**
   * The address the nearest proxy appended to X-Forwarded-For (the last entry: earlier ones come
   * from the client and prove nothing), or {@code null} when there is no valid one.
   */
  static String forwardedClient(HttpHeaders headers) {
    String all = String.join(",", headers.getAll("X-Forwarded-For"));
    int comma = all.lastIndexOf(',');
    String last = all.substring(comma + 1).trim();
    if (last.startsWith("[") && last.endsWith("]")) {
      last = last.substring(1, last.length() - 1);
    }
    return NetUtil.isValidIpV4Address(last) || NetUtil.isValidIpV6Address(last) ? last : null;
  }
}
