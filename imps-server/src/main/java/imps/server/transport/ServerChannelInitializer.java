package imps.server.transport;

import imps.protocol.codec.FrameDecoder;
import imps.protocol.codec.FrameEncoder;
import imps.server.config.ServerConfig;
import imps.server.delivery.DeliveryRecorder;
import imps.server.dispatch.RequestDispatcher;
import imps.server.transport.web.TransportStages;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.flush.FlushConsolidationHandler;

/**
 * Builds each TCP connection's pipeline; see {@link PipelineNames} for the order. Also lends a web
 * connection the stages it shares with TCP ({@link TransportStages}).
 */
final class ServerChannelInitializer extends ChannelInitializer<SocketChannel>
    implements TransportStages {
  private static final FrameEncoder ENCODER = new FrameEncoder();

  private final ServerConfig config;
  private final ConnectionLimitHandler limit;
  private final RequestDispatcher dispatcher;
  private final DeliveryRecorder recorder;

  ServerChannelInitializer(
      ServerConfig config,
      ConnectionLimitHandler limit,
      RequestDispatcher dispatcher,
      DeliveryRecorder recorder) {
    this.config = config;
    this.limit = limit;
    this.dispatcher = dispatcher;
    this.recorder = recorder;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    ChannelPipeline p = ch.pipeline();
    p.addLast(PipelineNames.CONNECTION_LIMIT, limit);
    if (config.get(ServerConfig.Key.PROXY_PROTOCOL)) {
      // Behind HAProxy: the first bytes are a PROXY header (v1 or v2) naming the real client.
      // Without one the connection is refused, so a client cannot pose as a balancer.
      p.addLast(PipelineNames.PROXY_PROTOCOL, new HAProxyMessageDecoder());
      p.addLast(PipelineNames.PROXY_ADDRESS, ProxyAddressHandler.INSTANCE);
    }
    // Many small frames written from worker threads: coalesce their flushes into fewer syscalls.
    p.addLast(PipelineNames.FLUSH_CONSOLIDATION, new FlushConsolidationHandler(256, true));
    addSession(p, null);
  }

  @Override
  public void addFirst(ChannelPipeline p) {
    p.addLast(PipelineNames.CONNECTION_LIMIT, limit);
    p.addLast(PipelineNames.FLUSH_CONSOLIDATION, new FlushConsolidationHandler(256, true));
  }

  @Override
  public void addSession(ChannelPipeline p, String clientAddress) {
    p.addLast(
        PipelineNames.FRAME_DECODER,
        new FrameDecoder(config.get(ServerConfig.Key.MAX_FIXES_PER_HEARTBEAT)));
    p.addLast(PipelineNames.FRAME_ENCODER, ENCODER);
    ConnectionHandler handler =
        new ConnectionHandler(
            dispatcher,
            recorder,
            config.loginTimeout(),
            config.idleTimeout(),
            config.maxViolations(),
            config.maxPendingRequests(),
            config.get(ServerConfig.Key.MAX_PENDING_BYTES));
    p.addLast(PipelineNames.CONNECTION, handler);
    if (clientAddress != null) {
      handler.connection().setRemoteAddress(clientAddress);
    }
  }
}
