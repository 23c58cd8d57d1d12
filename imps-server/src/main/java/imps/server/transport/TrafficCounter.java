package imps.server.transport;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;

/**
 * Counts the bytes every client connection reads and writes, first in the pipeline, so as they are
 * on the wire: TLS records, HTTP and WebSocket framing and PROXY headers included ({@code
 * imps_network_received_bytes_total}, {@code imps_network_sent_bytes_total}; written means handed
 * to the socket's outbound buffer). Two adders per byte buffer; shared by every connection.
 */
@ChannelHandler.Sharable
final class TrafficCounter extends ChannelDuplexHandler {
  static final TrafficCounter INSTANCE = new TrafficCounter();

  private static final Counter RECEIVED =
      Counter.builder("imps.network.received")
          .baseUnit("bytes")
          .description("Bytes read from client connections")
          .register(Metrics.globalRegistry);
  private static final Counter SENT =
      Counter.builder("imps.network.sent")
          .baseUnit("bytes")
          .description("Bytes written to client connections")
          .register(Metrics.globalRegistry);

  private TrafficCounter() {}

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    long n = size(msg);
    if (n > 0) {
      RECEIVED.increment(n);
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    long n = size(msg);
    if (n > 0) {
      SENT.increment(n);
    }
    ctx.write(msg, promise);
  }

  private static long size(Object msg) {
    if (msg instanceof ByteBuf b) {
      return b.readableBytes();
    }
    if (msg instanceof ByteBufHolder h) {
      return h.content().readableBytes();
    }
    if (msg instanceof FileRegion f) {
      return f.count();
    }
    return 0;
  }
}
