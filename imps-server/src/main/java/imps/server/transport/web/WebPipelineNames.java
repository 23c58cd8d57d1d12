package imps.server.transport.web;

/**
 * Names of the handlers in a web connection's pipeline, in order. Before the upgrade it speaks
 * HTTP; the upgrade replaces the HTTP stages with the WebSocket ones, then the IMPS stages of
 * {@code imps.server.transport.PipelineNames} follow.
 */
public final class WebPipelineNames {
  public static final String HTTP_CODEC = "web-http-codec";

  /** Closes a connection that has not upgraded and has been quiet for a while. */
  public static final String HTTP_IDLE = "web-http-idle";

  public static final String HTTP_AGGREGATOR = "web-http-aggregator";
  public static final String WEBSOCKET_PROTOCOL = "web-websocket-protocol";
  public static final String STATIC_FILES = "web-static-files";

  /** Waits for the WebSocket handshake, then turns the pipeline into an IMPS session. */
  public static final String UPGRADE = "web-upgrade";

  /**
   * After the upgrade, right after Netty's WebSocket frame decoder: the closing handshake, and the
   * decoder's violations turned into IMPS framing errors.
   */
  public static final String WEBSOCKET_CLOSING = "web-websocket-closing";

  /** After the upgrade: joins a message's continuation frames, up to one IMPS frame. */
  public static final String WEBSOCKET_AGGREGATOR = "web-websocket-aggregator";

  /** After the upgrade: one binary WebSocket message in, one IMPS frame out, and back. */
  public static final String WEBSOCKET_FRAMES = "web-websocket-frames";

  private WebPipelineNames() {}
}
