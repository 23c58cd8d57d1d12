package imps.server.transport.web;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes an HTTP connection (one that has not upgraded to a WebSocket) that has neither read nor
 * written for a while, so idle keep-alive connections do not pile up. The upgrade removes it: from
 * then on the session's own idle and login timeouts apply.
 */
final class HttpIdleHandler extends IdleStateHandler {
  HttpIdleHandler(Duration idle) {
    super(0, 0, idle.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
    ctx.close();
  }
}
