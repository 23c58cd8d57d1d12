package imps.server.transport;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;

/**
 * Takes the PROXY protocol header (v1 or v2) that a load balancer sends before any client byte and
 * makes its source address the connection's remote address, so that logs and per-address login
 * throttling see the real client, not the balancer. A LOCAL header (the balancer's own health
 * check) carries no client address and changes nothing. Removes itself after the header.
 */
@ChannelHandler.Sharable
final class ProxyAddressHandler extends ChannelInboundHandlerAdapter {
  static final ProxyAddressHandler INSTANCE = new ProxyAddressHandler();

  private ProxyAddressHandler() {}

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof HAProxyMessage header)) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      String source = header.sourceAddress();
      ConnectionHandler handler = ctx.pipeline().get(ConnectionHandler.class);
      if (header.command() == HAProxyCommand.PROXY && source != null && handler != null) {
        handler.connection().setRemoteAddress(source);
      }
    } finally {
      header.release();
      ctx.pipeline().remove(this);
    }
  }
}
