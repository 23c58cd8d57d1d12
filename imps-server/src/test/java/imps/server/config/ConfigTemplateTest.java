package imps.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release's conf/imps.properties lists every setting, and changes nothing as shipped but its
 * {@link ConfigTemplate#RELEASE_SETTINGS} (the admin port on loopback).
 */
class ConfigTemplateTest {
  @TempDir Path dir;

  /** The value {@code k} has as shipped: its default, or the release's own setting. */
  private static Object shipped(ServerConfig.Key<?> k) {
    String release = ConfigTemplate.RELEASE_SETTINGS.get(k);
    return release == null ? k.defaultValue() : k.parse(release);
  }

  @Test
  void asShippedItIsTheDefaultsButTheAdminPortOnLoopback() throws Exception {
    Path file = dir.resolve("imps.properties");
    ConfigTemplate.main(new String[] {file.toString()});
    ServerConfig loaded = ConfigLoader.load(file, Map.of(), Map.of());
    for (ServerConfig.Key<?> k : ServerConfig.Key.all()) {
      assertThat((Object) loaded.get(k)).as(k.key()).isEqualTo(shipped(k));
    }
    assertThat(loaded.get(ServerConfig.Key.ADMIN_PORT)).isEqualTo(7681);
    assertThat(loaded.get(ServerConfig.Key.ADMIN_HOST)).isEqualTo("127.0.0.1");
    assertThat(Files.readString(file)).contains("\n#admin.port = -1\n", "\nadmin.port = 7681\n");
  }

  @Test
  void uncommentedEveryDefaultLoadsBackAsTheDefaults() throws Exception {
    String text = ConfigTemplate.render();
    for (ServerConfig.Key<?> k : ServerConfig.Key.all()) {
      assertThat(text).contains("\n#" + k.key() + " = ");
    }
    Path file = dir.resolve("uncommented.properties");
    Files.writeString(file, text.replaceAll("(?m)^#([a-z][a-z0-9.-]* = )", "$1"));
    ServerConfig loaded = ConfigLoader.load(file, Map.of(), Map.of());
    for (ServerConfig.Key<?> k : ServerConfig.Key.all()) {
      assertThat((Object) loaded.get(k)).as(k.key()).isEqualTo(shipped(k));
    }
  }
}
