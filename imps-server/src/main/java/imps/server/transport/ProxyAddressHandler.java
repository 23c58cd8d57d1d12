package imps.server.transport;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol.AddressFamily;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the PROXY protocol header (v1 or v2) that a load balancer sends before any client byte and
 * makes its source address the connection's remote address, so that logs and per-address login
 * throttling see the real client, not the balancer. Only an IPv4 or IPv6 source is taken, in its
 * canonical text form: a LOCAL header (the balancer's own health check) carries no client address,
 * and an AF_UNIX or UNSPEC one carries none that could serve as a throttle key (an AF_UNIX
 * "address" is up to 108 arbitrary bytes, newlines included); both keep the socket's address.
 * Removes itself after the header. The peer is trusted to send one at all ({@link
 * ProxyTrustHandler}).
 */
@ChannelHandler.Sharable
final class ProxyAddressHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(ProxyAddressHandler.class);
  static final ProxyAddressHandler INSTANCE = new ProxyAddressHandler();

  private ProxyAddressHandler() {}

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof HAProxyMessage header)) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      ConnectionHandler handler = ctx.pipeline().get(ConnectionHandler.class);
      if (header.command() == HAProxyCommand.PROXY && handler != null) {
        String source = inetSource(header);
        if (source != null) { // a LOCAL or other header: the balancer's own, not limited
          handler.connection().setRemoteAddress(source);
          handler.admitAddress(ctx.channel());
        } else {
          // The family only: the address itself is whatever the sender chose to write.
          log.debug(
              "PROXY header with a {} source; keeping the peer address {}",
              header.proxiedProtocol().addressFamily(),
              ctx.channel().remoteAddress());
        }
      }
    } finally {
      header.release();
      ctx.pipeline().remove(this);
    }
  }

  /** The header's source as an IP address in canonical form, or {@code null} if it has none. */
  private static String inetSource(HAProxyMessage header) {
    AddressFamily family = header.proxiedProtocol().addressFamily();
    if (family != AddressFamily.AF_IPv4 && family != AddressFamily.AF_IPv6) {
      return null;
    }
    // The decoder has checked the literal; parsing it again gives one text per address.
    InetAddress a =
        header.sourceAddress() == null
            ? null
            : NetUtil.createInetAddressFromIpAddressString(header.sourceAddress());
    return a == null ? null : a.getHostAddress();
  }
}
