package imps.server.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * Builds a {@link ServerConfig} in the documented order: defaults, then the config file (Java
 * properties: {@code key = value}), then environment variables ({@code IMPS_PORT}, …), then
 * command-line flags; finally validation. Unknown keys in the file are an error, so that a typo is
 * not silently ignored.
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  /**
   * @param file a properties file, or {@code null} for none
   * @param env the environment (normally {@link System#getenv()})
   * @param flags values from the command line, by key
   */
  public static ServerConfig load(Path file, Map<String, String> env, Map<String, String> flags) {
    ServerConfig.Builder b = ServerConfig.builder();
    if (file != null) {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        p.load(r);
      } catch (IOException e) {
        throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
      }
      for (String name : p.stringPropertyNames()) {
        ServerConfig.Key key = ServerConfig.Key.byName(name);
        if (key == null) {
          throw new ConfigException("unknown setting '" + name + "' in " + file);
        }
        b.set(key, p.getProperty(name));
      }
    }
    for (ServerConfig.Key key : ServerConfig.Key.values()) {
      String v = env.get(key.envName());
      if (v != null) {
        b.set(key, v);
      }
    }
    for (Map.Entry<String, String> e : flags.entrySet()) {
      ServerConfig.Key key = ServerConfig.Key.byName(e.getKey());
      if (key == null) {
        throw new ConfigException("unknown setting '" + e.getKey() + "'");
      }
      b.set(key, e.getValue());
    }
    return b.build();
  }
}
