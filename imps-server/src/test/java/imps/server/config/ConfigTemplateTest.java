package imps.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The release's conf/imps.properties lists every setting, and changes nothing as shipped. */
class ConfigTemplateTest {
  @TempDir Path dir;

  @Test
  void asShippedItIsTheDefaults() throws Exception {
    Path file = dir.resolve("imps.properties");
    ConfigTemplate.main(new String[] {file.toString()});
    ServerConfig loaded = ConfigLoader.load(file, Map.of(), Map.of());
    for (ServerConfig.Key<?> k : ServerConfig.Key.all()) {
      assertThat((Object) loaded.get(k)).as(k.key()).isEqualTo(k.defaultValue());
    }
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
      assertThat((Object) loaded.get(k)).as(k.key()).isEqualTo(k.defaultValue());
    }
  }
}
