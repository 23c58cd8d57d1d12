package imps.server.transport.web;

import imps.server.config.ServerConfig;

/**
 * The web port's settings, read once from the server's configuration.
 *
 * @param host address to bind (the server's {@code host} unless {@code web.host} is set)
 * @param port port to bind; 0 picks a free one
 * @param tileUrl map tile URL template, or empty for the offline basemap only
 * @param tileAttribution text shown on the map for the tiles
 * @param forwardedFor whether the client address comes from X-Forwarded-For (behind a proxy)
 * @param maxMessageChars longest text message, so the app refuses longer ones before sending
 * @param maxAudioBytes largest voice clip, so the app refuses longer recordings before sending
 * @param maxOutputBytes bytes that may wait to be written to one client before it is closed ({@code
 *     output.max-bytes-per-connection}), for HTTP answers as for a session's frames
 */
public record WebSettings(
    String host,
    int port,
    String tileUrl,
    String tileAttribution,
    boolean forwardedFor,
    int maxMessageChars,
    int maxAudioBytes,
    long maxOutputBytes) {

  /** Whether the configuration turns the web port on. */
  public static boolean enabled(ServerConfig config) {
    return config.<Boolean>get(ServerConfig.Key.WEB_ENABLED);
  }

  public static WebSettings from(ServerConfig config) {
    String host = config.get(ServerConfig.Key.WEB_HOST);
    return new WebSettings(
        host.isEmpty() ? config.host() : host,
        config.get(ServerConfig.Key.WEB_PORT),
        config.get(ServerConfig.Key.WEB_TILE_URL),
        config.get(ServerConfig.Key.WEB_TILE_ATTRIBUTION),
        config.get(ServerConfig.Key.WEB_FORWARDED_FOR),
        config.maxMessageChars(),
        config.maxAudioBytes(),
        config.get(ServerConfig.Key.OUTPUT_MAX_BYTES_PER_CONNECTION).longValue());
  }
}
