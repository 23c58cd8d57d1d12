package imps.server;

import imps.server.config.ConfigException;
import imps.server.config.ServerConfig;
import imps.server.transport.ServerTransport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Reading the configuration again on a running server (SIGHUP, {@code ./imps admin reload}): what
 * can change live is applied (the TLS certificate and key files), every other changed setting is
 * named as needing a restart and keeps its running value. Not thread-safe: {@link ImpsServer}
 * serializes reloads with its shutdown.
 */
final class ConfigReload {
  private final ServerConfig running;
  private final ServerTransport transport;
  private volatile Supplier<ServerConfig> source;

  ConfigReload(ServerConfig running, ServerTransport transport) {
    this.running = running;
    this.transport = transport;
    this.source = () -> running;
  }

  /** Where the configuration is read again; by default the one the server started with. */
  void from(Supplier<ServerConfig> source) {
    this.source = source;
  }

  /**
   * Reads the configuration again and applies what can change live.
   *
   * @return {@code applied} (what was applied) and {@code needsRestart} (the changed keys)
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
    for (ServerConfig.Key<?> k : ServerConfig.Key.all()) {
      if (!Objects.equals(running.get(k), next.get(k))) {
        restart.add(k.key());
      }
    }
    List<String> applied = new ArrayList<>();
    if (transport.tlsPort() >= 0) {
      try {
        transport.reloadTls().get();
        applied.add("tls certificate and key files loaded again");
      } catch (Exception e) {
        throw new IllegalArgumentException("TLS files not reloaded: " + e.getMessage(), e);
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("applied", applied);
    out.put("needsRestart", restart);
    return out;
  }
}
