package imps.server;

import imps.server.config.ServerConfig;
import imps.server.transport.web.WebSettings;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a started server tells the operator: where it listens (plain, web, TLS, admin port), which
 * store and cluster it uses, and the address of the web client to open in a browser.
 */
final class StartupLog {
  // The server's own logger: operators read these lines among its other start-up lines.
  private static final Logger log = LoggerFactory.getLogger(ImpsServer.class);

  private StartupLog() {}

  /** Logs where {@code s}, just started on a {@code transportKind} transport, can be reached. */
  static void listening(ImpsServer s, String transportKind) {
    ServerConfig config = s.config();
    log.info(
        "IMPS listening on {}:{} ({}), store: {}, cluster: {}{}",
        config.host(),
        s.port() < 0 ? "- (tls.required)" : s.port(),
        transportKind,
        s.store().describe(),
        config.cluster().name().toLowerCase(Locale.ROOT),
        config.get(ServerConfig.Key.PROXY_PROTOCOL)
            ? ", PROXY headers expected from " + config.get(ServerConfig.Key.PROXY_PROTOCOL_TRUSTED)
            : "");
    if (s.webPort() > 0) {
      log.info("web client on {}", s.webUrl());
    }
    if (s.tlsPort() >= 0) {
      log.info("IMPS listening for TLS on {}:{}", config.host(), s.tlsPort());
    }
    if (s.adminPort() >= 0) {
      log.info(
          "health check on http://{}:{}/health (readiness: /ready)",
          config.get(ServerConfig.Key.ADMIN_HOST),
          s.adminPort());
    }
  }

  /**
   * The address to open in a browser for the web port {@code webPort} (a wildcard bind is shown as
   * 127.0.0.1; https when the port serves TLS), or null when the web client is off ({@code webPort}
   * -1).
   */
  static String webUrl(ServerConfig config, int webPort, boolean tls) {
    if (webPort < 0) {
      return null;
    }
    String host = WebSettings.from(config).host();
    if (host.equals("0.0.0.0") || host.equals("::") || host.isEmpty()) {
      host = "127.0.0.1";
    } else if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return (tls ? "https://" : "http://") + host + ":" + webPort + "/";
  }
}
