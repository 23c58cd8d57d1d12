package imps.server.transport;

import imps.protocol.codec.FrameDecoder;
import imps.protocol.codec.FrameEncoder;
import imps.server.config.ServerConfig;
import imps.server.delivery.DeliveryRecorder;
import imps.server.dispatch.RequestDispatcher;
import imps.server.transport.NettyConnection.OutputEnd;
import imps.server.transport.tls.TlsContexts;
import imps.server.transport.web.TransportStages;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslHandler;

/**
 * Builds each TCP connection's pipeline; see {@link PipelineNames} for the order. One per listener:
 * the TLS listener's adds the TLS stage, and the pipeline after it is the same on every port. The
 * plain one also lends a web connection the stages it shares with TCP ({@link TransportStages}).
 */
final class ServerChannelInitializer extends ChannelInitializer<SocketChannel>
    implements TransportStages {
  private static final FrameEncoder ENCODER = new FrameEncoder();

  private final ServerConfig config;
  private final ConnectionLimitHandler limit;
  private final RequestDispatcher dispatcher;
  private final DeliveryRecorder recorder;
  private final ProxyTrustHandler proxyTrust;
  private final TlsContexts tls;
  private final ConnectionLimits limits;
  private final OpenSessions openSessions;

  /**
   * @param tls the TLS context of this listener's connections, or {@code null} for plain TCP
   */
  ServerChannelInitializer(
      ServerConfig config,
      ConnectionLimitHandler limit,
      RequestDispatcher dispatcher,
      DeliveryRecorder recorder,
      ConnectionLimits limits,
      TlsContexts tls,
      OpenSessions openSessions) {
    this.config = config;
    this.limit = limit;
    this.dispatcher = dispatcher;
    this.recorder = recorder;
    this.proxyTrust = new ProxyTrustHandler(config.get(ServerConfig.Key.PROXY_PROTOCOL_TRUSTED));
    this.tls = tls;
    this.limits = limits;
    this.openSessions = openSessions;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    // A FIN reaches ConnectionHandler as an event before the close, so that the delivery marks
    // the peer acknowledged are recorded while the socket can still tell (KernelAcks).
    ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    ChannelPipeline p = ch.pipeline();
    p.addLast(PipelineNames.TRAFFIC, TrafficCounter.INSTANCE);
    p.addLast(PipelineNames.CONNECTION_LIMIT, limit);
    if (config.get(ServerConfig.Key.PROXY_PROTOCOL)) {
      // Behind HAProxy: the first bytes are a PROXY header (v1 or v2) naming the real client.
      // Without one the connection is refused, and only a trusted peer may send one at all, so a
      // client cannot pose as a balancer.
      p.addLast(PipelineNames.PROXY_TRUST, proxyTrust);
      p.addLast(PipelineNames.PROXY_PROTOCOL, new HAProxyMessageDecoder());
      p.addLast(PipelineNames.PROXY_ADDRESS, ProxyAddressHandler.INSTANCE);
    }
    if (tls != null) {
      p.addLast(PipelineNames.TLS, newTlsHandler(ch));
    }
    // Many small frames written from worker threads: coalesce their flushes into fewer syscalls.
    p.addLast(PipelineNames.FLUSH_CONSOLIDATION, new FlushConsolidationHandler(256, true));
    addSession(p, null, OutputEnd.HALF_CLOSE);
  }

  private SslHandler newTlsHandler(Channel ch) {
    SslHandler ssl = tls.newHandler(ch.alloc());
    // A client has login-timeout to log in, handshake included (Netty's own default is 10 s,
    // which a burst of reconnections can exceed while handshakes queue for the CPU).
    ssl.setHandshakeTimeoutMillis(config.loginTimeout().toMillis());
    return ssl;
  }

  /**
   * A web connection's first stages. With this listener's TLS context, the web port speaks TLS too:
   * only TLS with {@code tls.required}, else TLS or plain HTTP as the client starts ({@link
   * TlsOrPlain}).
   */
  @Override
  public void addFirst(ChannelPipeline p) {
    p.addLast(PipelineNames.TRAFFIC, TrafficCounter.INSTANCE);
    p.addLast(PipelineNames.CONNECTION_LIMIT, limit);
    if (tls != null) {
      Channel ch = p.channel();
      p.addLast(
          PipelineNames.TLS,
          config.get(ServerConfig.Key.TLS_REQUIRED)
              ? newTlsHandler(ch)
              : new TlsOrPlain(() -> newTlsHandler(ch)));
    }
    p.addLast(PipelineNames.FLUSH_CONSOLIDATION, new FlushConsolidationHandler(256, true));
  }

  /** A WebSocket's session: its output ends with the close frame ({@code web.ClosingHandshake}). */
  @Override
  public void addSession(ChannelPipeline p, String clientAddress) {
    addSession(p, clientAddress, OutputEnd.CLOSE);
  }

  private void addSession(ChannelPipeline p, String clientAddress, OutputEnd outputEnd) {
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
            config.get(ServerConfig.Key.MAX_PENDING_BYTES),
            limits,
            openSessions,
            outputEnd);
    p.addLast(PipelineNames.CONNECTION, handler);
    if (clientAddress != null) {
      handler.connection().setRemoteAddress(clientAddress);
    }
  }
}
