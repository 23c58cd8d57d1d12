package imps.server;

import imps.server.config.ConfigException;
import imps.server.config.ServerConfig;
import imps.server.dispatch.CommandLimits;
import imps.server.transport.ServerTransport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Reading the configuration again on a running server (SIGHUP, {@code ./imps admin reload}): what
 * can change live is applied without closing a connection (the TLS certificate and key files, the
 * rate and connection limits {@code limit.*}, {@code log.level}); every other changed setting is
 * named as needing a restart and keeps its running value. Not thread-safe: {@link ImpsServer}
 * serializes reloads with its shutdown.
 */
final class ConfigReload {
  private final ServerConfig running;
  private final ServerTransport transport;
  private final CommandLimits commandLimits;
  private final LogLevel logLevel;
  private volatile Supplier<ServerConfig> source;
  // The live settings as last applied.
  private ServerConfig live;

  ConfigReload(
      ServerConfig running,
      ServerTransport transport,
      CommandLimits commandLimits,
      LogLevel logLevel) {
    this.running = running;
    this.transport = transport;
    this.commandLimits = commandLimits;
    this.logLevel = logLevel;
    this.source = () -> running;
    this.live = running;
  }

  /** Where the configuration is read again; by default the one the server started with. */
  void from(Supplier<ServerConfig> source) {
    this.source = source;
  }

  /** Whether a setting changes on reload: the rate and connection limits and the log level. */
  static boolean isLive(ServerConfig.Key<?> k) {
    return k.key().startsWith("limit.") || k == ServerConfig.Key.LOG_LEVEL;
  }

  /**
   * Reads the configuration again and applies what can change live.
   *
   * @return {@code applied} (each live setting that changed: {@code setting}, {@code from}, {@code
   *     to}; and the TLS files) and {@code needsRestart} (the other changed keys)
   * @throws IllegalArgumentException when the new configuration is invalid (nothing applied)
   */
  Map<String, Object> reload() {
    ServerConfig next;
    try {
      next = source.get();
    } catch (ConfigException e) {
      throw new IllegalArgumentException("invalid configuration: " + e.getMessage(), e);
    }
    List<String> restart = new ArrayList<>();
    List<Map<String, Object>> applied = new ArrayList<>();
    for (ServerConfig.Key<?> k : ServerConfig.Key.all()) {
      if (isLive(k)) {
        if (!Objects.equals(live.get(k), next.get(k))) {
          applied.add(change(k, live, next));
        }
      } else if (!Objects.equals(running.get(k), next.get(k))) {
        restart.add(k.key());
      }
    }
    if (transport.tlsPort() >= 0) {
      try {
        transport.reloadTls().get();
        applied.add(Map.of("setting", "tls.cert-file", "to", "certificate and key loaded again"));
      } catch (Exception e) {
        throw new IllegalArgumentException("TLS files not reloaded: " + e.getMessage(), e);
      }
    }
    commandLimits.update(ServerWiring.commandRates(next));
    transport.updateLimits(next);
    logLevel.apply(next.get(ServerConfig.Key.LOG_LEVEL));
    live = next;
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("applied", applied);
    out.put("needsRestart", restart);
    return out;
  }

  private static Map<String, Object> change(
      ServerConfig.Key<?> k, ServerConfig from, ServerConfig to) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("setting", k.key());
    m.put("from", text(k, from));
    m.put("to", text(k, to));
    return m;
  }

  /** The setting's value as a config file writes it ({@code 50/1h}, not the record's fields). */
  private static <T> String text(ServerConfig.Key<T> k, ServerConfig c) {
    return k.text(c.get(k));
  }
}
