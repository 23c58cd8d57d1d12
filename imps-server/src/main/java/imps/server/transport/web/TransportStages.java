package imps.server.transport.web;

import io.netty.channel.ChannelPipeline;

/**
 * The stages a web connection shares with a TCP one, provided by the transport package (so that
 * this package does not depend on it): admission under the server's connection limit first, and
 * after the WebSocket upgrade the IMPS frame decoder, encoder and connection handler, with the same
 * session rules, limits and timeouts as TCP.
 */
public interface TransportStages {
  /** Appends what every new connection starts with (connection limit, flush consolidation). */
  void addFirst(ChannelPipeline pipeline);

  /**
   * Appends the IMPS session stages after the WebSocket frame adapter.
   *
   * @param clientAddress the real client's address from a trusted proxy header, or {@code null} to
   *     keep the socket's peer address
   */
  void addSession(ChannelPipeline pipeline, String clientAddress);
}
