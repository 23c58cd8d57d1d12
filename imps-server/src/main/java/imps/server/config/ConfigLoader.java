package imps.server.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * Builds a {@link ServerConfig} in the documented order: defaults, then the config file (Java
 * properties: {@code key = value}), then environment variables ({@code IMPS_PORT}, …), then
 * command-line flags. Each value is checked as it is read, by the same rules as values given to
 * {@link ServerConfig.Builder#with}. Unknown keys in the file or flags are an error, so that a typo
 * is not silently ignored.
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  /**
   * @param file a properties file, or {@code null} for none
   * @param env the environment (normally {@link System#getenv()})
   * @param flags values from the command line, by key
   * @throws ConfigException naming the first setting that is unknown or invalid
   */
  public static ServerConfig load(Path file, Map<String, String> env, Map<String, String> flags) {
    ServerConfig.Builder b = ServerConfig.builder();
    if (file != null) {
      Properties p = read(file);
      // Sorted, so that of several bad lines the same one is reported every time.
      for (String name : new TreeSet<>(p.stringPropertyNames())) {
        if (ServerConfig.Key.byName(name).isEmpty()) {
          throw new ConfigException("unknown setting '" + name + "' in " + file);
        }
        b.set(name, p.getProperty(name));
      }
    }
    for (ServerConfig.Key<?> key : ServerConfig.Key.all()) {
      String v = env.get(key.envName());
      if (v != null) {
        b.set(key, v);
      }
    }
    for (Map.Entry<String, String> e : flags.entrySet()) {
      b.set(e.getKey(), e.getValue());
    }
    return b.build();
  }

  private static Properties read(Path file) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
    }
    return p;
  }
}
