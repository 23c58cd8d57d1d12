package imps.server.transport;

/**
 * Names of the handlers in a connection's pipeline, in order. A web connection has the HTTP and
 * WebSocket stages of {@link imps.server.transport.web.WebPipelineNames} between the flush
 * consolidation and the frame decoder.
 */
public final class PipelineNames {
  /** Counts the bytes read and written, as on the wire ({@code /metrics}). */
  public static final String TRAFFIC = "traffic";

  /** Leaves the pipeline once the connection is admitted under {@code max-connections}. */
  public static final String CONNECTION_LIMIT = "connection-limit";

  /** Closes a peer outside {@code proxy-protocol.trusted}; leaves for a trusted one. */
  public static final String PROXY_TRUST = "proxy-trust";

  public static final String PROXY_PROTOCOL = "proxy-protocol";
  public static final String PROXY_ADDRESS = "proxy-address";

  /**
   * TLS, on the TLS port only. After the PROXY header, which a balancer sends in the clear before
   * the handshake.
   */
  public static final String TLS = "tls";

  public static final String FLUSH_CONSOLIDATION = "flush-consolidation";
  public static final String FRAME_DECODER = "frame-decoder";
  public static final String FRAME_ENCODER = "frame-encoder";
  public static final String CONNECTION = "connection";

  private PipelineNames() {}
}
