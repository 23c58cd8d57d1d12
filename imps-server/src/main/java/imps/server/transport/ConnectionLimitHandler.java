package imps.server.transport;

import imps.server.limit.LimitHits;
import io.micrometer.core.instrument.Counter;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.group.ChannelGroup;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection over {@code max-connections} before it costs anything: past the limit the
 * heap would run out for everyone; and one whose peer is in a banned block ({@link AddressBans}),
 * on every port (the web port's static files included). A client behind a PROXY header or
 * X-Forwarded-For is checked once its address is known ({@link AddressLimits}). Admitted
 * connections join the server's channel group (which closes them at shutdown), and the handler
 * leaves their pipeline. Says so in the log at most once a minute, so a flood cannot flood the log
 * too.
 */
@ChannelHandler.Sharable
final class ConnectionLimitHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(ConnectionLimitHandler.class);
  private static final long LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final ChannelGroup channels;
  private final int maxConnections;
  private final AddressBans bans;
  private final AtomicLong lastRefusalLog = new AtomicLong();
  private static final Counter BANNED = LimitHits.of("banned_address");
  private static final Counter MAX_CONNECTIONS = LimitHits.of("max_connections");

  ConnectionLimitHandler(ChannelGroup channels, int maxConnections, AddressBans bans) {
    this.channels = channels;
    this.bans = bans;
    this.maxConnections = maxConnections;
  }

  @Override
  public void channelRegistered(ChannelHandlerContext ctx) {
    Channel ch = ctx.channel();
    if (ch.remoteAddress() instanceof InetSocketAddress peer
        && peer.getAddress() != null
        && bans.contains(peer.getAddress())) {
      BANNED.increment();
      ch.close();
      return;
    }
    if (channels.size() >= maxConnections) {
      MAX_CONNECTIONS.increment();
      ch.close();
      logRefusal();
      return;
    }
    channels.add(ch);
    ctx.pipeline().remove(this);
    ctx.fireChannelRegistered();
  }

  private void logRefusal() {
    long now = System.nanoTime();
    long last = lastRefusalLog.get();
    if ((last == 0 || now - last > LOG_INTERVAL_NANOS) && lastRefusalLog.compareAndSet(last, now)) {
      log.warn(
          "max-connections ({}) reached: closing new connections until some close", maxConnections);
    }
  }
}
