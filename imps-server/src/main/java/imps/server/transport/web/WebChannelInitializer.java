package imps.server.transport.web;

import imps.protocol.Limits;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.time.Duration;

/**
 * Builds a web connection's pipeline (see {@link WebPipelineNames}): HTTP for the app's files and
 * the upgrade on {@link #WEBSOCKET_PATH}; after the upgrade, {@link WebSocketUpgradeHandler} turns
 * it into an IMPS session.
 */
public final class WebChannelInitializer extends ChannelInitializer<SocketChannel> {
  /** Where the app opens its WebSocket. */
  public static final String WEBSOCKET_PATH = "/ws";

  /** The largest WebSocket message: one whole IMPS frame. */
  static final int MAX_MESSAGE_BYTES = Limits.HEADER_LENGTH + Limits.MAX_CONTENT_LENGTH;

  // The app only sends GETs: a request body is refused past this (413).
  private static final int MAX_REQUEST_BODY = 8 * 1024;
  private static final int MAX_INITIAL_LINE = 4096;
  private static final int MAX_HEADER_BYTES = 16 * 1024;
  private static final Duration HTTP_IDLE = Duration.ofSeconds(60);
  private static final long HANDSHAKE_TIMEOUT_MILLIS = 10_000;

  private final TransportStages stages;
  private final StaticFileHandler files;
  private final WebSettings settings;
  private final WebSocketServerProtocolConfig websocket;

  public WebChannelInitializer(WebSettings settings, WebAssets assets, TransportStages stages) {
    this.settings = settings;
    this.stages = stages;
    this.files =
        new StaticFileHandler(
            assets, new SecurityHeaders(settings.tileUrl()), settings.maxOutputBytes());
    this.websocket =
        WebSocketServerProtocolConfig.newBuilder()
            .websocketPath(WEBSOCKET_PATH)
            .checkStartsWith(true)
            .handshakeTimeoutMillis(HANDSHAKE_TIMEOUT_MILLIS)
            .maxFramePayloadLength(MAX_MESSAGE_BYTES)
            .allowExtensions(false)
            // ClosingHandshake sends the close frame (and waits for the client's) instead.
            .closeOnProtocolViolation(false)
            .sendCloseFrame(null)
            // Text messages are refused whatever they hold: no need to validate their UTF-8.
            .withUTF8Validator(false)
            .dropPongFrames(true)
            .build();
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    ChannelPipeline p = ch.pipeline();
    stages.addFirst(p);
    p.addLast(
        WebPipelineNames.HTTP_CODEC,
        new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_BYTES, MAX_REQUEST_BODY));
    p.addLast(WebPipelineNames.HTTP_IDLE, new HttpIdleHandler(HTTP_IDLE));
    p.addLast(WebPipelineNames.HTTP_AGGREGATOR, new HttpObjectAggregator(MAX_REQUEST_BODY));
    p.addLast(WebPipelineNames.WEBSOCKET_PROTOCOL, new WebSocketServerProtocolHandler(websocket));
    p.addLast(WebPipelineNames.STATIC_FILES, files);
    p.addLast(
        WebPipelineNames.UPGRADE,
        new WebSocketUpgradeHandler(stages, settings.forwardedFor(), MAX_MESSAGE_BYTES));
  }
}
