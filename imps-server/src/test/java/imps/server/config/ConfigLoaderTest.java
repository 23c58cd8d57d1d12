package imps.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  @Test
  void defaultsAreNamed() {
    ServerConfig c = ConfigLoader.load(null, Map.of(), Map.of());
    assertThat(c.port()).isEqualTo(ServerConfig.DEFAULT_PORT);
    assertThat(c.dataDir()).isEqualTo(ServerConfig.DEFAULT_DATA_DIR);
    assertThat(c.idleTimeout()).isEqualTo(Duration.ofSeconds(180));
    assertThat(c.loginTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.maxViolations()).isEqualTo(16);
    assertThat(c.timeZone()).isEqualTo(ZoneId.of("UTC"));
    assertThat(c.store()).isEqualTo(ServerConfig.StoreKind.SQLITE);
    assertThat(c.cluster()).isEqualTo(ServerConfig.ClusterKind.LOCAL);
  }

  @Test
  void fileThenEnvironmentThenFlags() throws IOException {
    Path file = dir.resolve("imps.properties");
    Files.writeString(
        file,
        "port = 1000\nidle-timeout = 60s\ntime-zone = Asia/Shanghai\ndata-dir = /from/file\n");
    ServerConfig c =
        ConfigLoader.load(
            file,
            Map.of("IMPS_PORT", "2000", "IMPS_DATA_DIR", "/from/env"),
            Map.of("port", "3000"));
    assertThat(c.port()).isEqualTo(3000);
    assertThat(c.dataDir()).isEqualTo(Path.of("/from/env"));
    assertThat(c.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.timeZone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
  }

  @Test
  void invalidValuesAreRefusedWithTheKeyNamed() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("port", "70000")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("port")
        .hasMessageContaining("0..65535");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("IMPS_IDLE_TIMEOUT", "soon"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("idle-timeout");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("idle-timeout", "0s")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("idle-timeout must be positive");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("store", "mongodb")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("sqlite");
  }

  @Test
  void unknownKeysAreRefused() throws IOException {
    Path file = dir.resolve("bad.properties");
    Files.writeString(file, "prot = 1000\n");
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown setting 'prot'");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("nope", "1")))
        .isInstanceOf(ConfigException.class);
  }

  @Test
  void missingFileIsAClearError() {
    assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("none.properties"), Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cannot read config file");
  }

  @Test
  void environmentNamesFollowKeys() {
    assertThat(ServerConfig.Key.PASSWORD_MEMORY_KIB.envName())
        .isEqualTo("IMPS_PASSWORD_MEMORY_KIB");
    assertThat(ServerConfig.Key.DATA_DIR.envName()).isEqualTo("IMPS_DATA_DIR");
  }

  @Test
  void theAdminTokenIsMaskedInDescription() {
    ServerConfig c = ConfigLoader.load(null, Map.of(), Map.of("admin.token", "s3cret-admin-token"));
    assertThat(c.describe().get("admin.token")).isEqualTo("****");
    assertThat(c.describe().values()).noneMatch(v -> v.contains("s3cret"));
    ServerConfig none = ConfigLoader.load(null, Map.of(), Map.of());
    assertThat(none.describe().get("admin.token")).isEmpty();
  }

  @Test
  void passwordIsMaskedInDescription() {
    ServerConfig c = ConfigLoader.load(null, Map.of(), Map.of("postgres.password", "hunter2"));
    assertThat(c.describe().get("postgres.password")).isEqualTo("****");
  }
}
