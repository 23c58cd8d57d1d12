package imps.server.transport;

import imps.server.config.CidrList;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * With {@code proxy-protocol} on, only a peer in {@code proxy-protocol.trusted} (the balancer) may
 * connect: it is the one that writes the PROXY header naming the client. Any other peer could write
 * a header of its own and claim any address, so its connection is closed as it opens, before a byte
 * is read. Says so in the log at most once a minute, with the peer's address.
 */
@ChannelHandler.Sharable
final class ProxyTrustHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(ProxyTrustHandler.class);
  private static final long LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final CidrList trusted;
  private final AtomicLong lastRefusalLog = new AtomicLong();

  ProxyTrustHandler(CidrList trusted) {
    this.trusted = trusted;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    SocketAddress peer = ctx.channel().remoteAddress();
    if (peer instanceof InetSocketAddress a
        && a.getAddress() != null
        && trusted.contains(a.getAddress())) {
      ctx.pipeline().remove(this);
      ctx.fireChannelActive();
      return;
    }
    ctx.close();
    logRefusal(peer);
  }

  private void logRefusal(SocketAddress peer) {
    long now = System.nanoTime();
    long last = lastRefusalLog.get();
    if ((last == 0 || now - last > LOG_INTERVAL_NANOS) && lastRefusalLog.compareAndSet(last, now)) {
      log.warn(
          "closed a connection from {}: not in proxy-protocol.trusted ({}), so it may not send a"
              + " PROXY header (further refusals within a minute are not logged)",
          peer,
          trusted);
    }
  }
}
