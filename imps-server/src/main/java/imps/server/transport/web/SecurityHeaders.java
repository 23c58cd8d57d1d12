package imps.server.transport.web;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The headers every web response carries: a strict Content-Security-Policy (no inline script or
 * style, nothing from other origins but the configured map tiles, WebSockets only to this server),
 * and the usual hardening headers.
 */
final class SecurityHeaders {
  // A Host header that can safely go into the policy: a name or IPv4 address, or an IPv6 literal,
  // with an optional port. Anything else leaves only 'self' for the WebSocket.
  private static final Pattern HOST =
      Pattern.compile("([A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\])(:\\d{1,5})?");
  private static final Pattern TILE_ORIGIN =
      Pattern.compile("(https?://)(\\{s\\}\\.)?([^/:]+)(:\\d{1,5})?/.*");

  private final String tileSource;

  /**
   * @param tileUrl the {@code web.tile-url} setting, already validated, or empty
   */
  SecurityHeaders(String tileUrl) {
    this.tileSource = tileOrigin(tileUrl);
  }

  /** The CSP source for tile images: the URL's origin, {@code {s}.} as a {@code *.} wildcard. */
  static String tileOrigin(String tileUrl) {
    Matcher m = TILE_ORIGIN.matcher(tileUrl);
    if (!m.matches()) {
      return "";
    }
    return m.group(1)
        + (m.group(2) != null ? "*." : "")
        + m.group(3)
        + (m.group(4) != null ? m.group(4) : "");
  }

  /** The policy for a response to a request that named {@code host} (may be null). */
  String contentSecurityPolicy(String host) {
    String sockets =
        host != null && HOST.matcher(host).matches() ? " ws://" + host + " wss://" + host : "";
    return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'"
        + (tileSource.isEmpty() ? "" : " " + tileSource)
        + "; connect-src 'self'"
        + sockets
        + "; media-src 'self' blob:; font-src 'self'; manifest-src 'self'"
        + "; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
  }

  void addTo(HttpHeaders headers, String host) {
    headers
        .set("Content-Security-Policy", contentSecurityPolicy(host))
        .set("X-Content-Type-Options", "nosniff")
        .set("Referrer-Policy", "no-referrer")
        .set("X-Frame-Options", "DENY")
        .set("Cross-Origin-Opener-Policy", "same-origin")
        .set("Cross-Origin-Resource-Policy", "same-origin")
        .set("Permissions-Policy", "geolocation=(self), microphone=(self), camera=()");
  }
}
