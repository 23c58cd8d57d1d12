package imps.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import imps.server.config.ServerConfig.ClusterKind;
import imps.server.config.ServerConfig.Key;
import imps.server.config.ServerConfig.StoreKind;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ServerConfigTest {

  /** A typed value for a key; the key's parser reads {@code key.text(value)} back as it. */
  record Setting<T>(Key<T> key, T value) {
    void with(ServerConfig.Builder b) {
      b.with(key, value);
    }

    String text() {
      return key.text(value);
    }

    @Override
    public String toString() {
      return key + " = " + text();
    }
  }

  static Stream<Setting<?>> refused() {
    return Stream.of(
        new Setting<>(Key.PORT, 70000),
        new Setting<>(Key.PORT, -1),
        new Setting<>(Key.MAX_FRIENDS, 501),
        new Setting<>(Key.MAX_AUDIO_BYTES, 65_001),
        new Setting<>(Key.MAX_MESSAGE_CHARS, 0),
        new Setting<>(Key.PASSWORD_MEMORY_KIB, 4),
        new Setting<>(Key.ADMIN_PORT, -2),
        new Setting<>(Key.IO_THREADS, -1),
        new Setting<>(Key.IDLE_TIMEOUT, Duration.ZERO),
        new Setting<>(Key.NODE_TTL, Duration.ofSeconds(-5)),
        new Setting<>(Key.LOGIN_FAILURE_WINDOW, Duration.ZERO),
        new Setting<>(Key.SQLITE_SYNCHRONOUS, "FAST"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void withRefusesWhatSetRefusesWithTheSameMessage(Setting<?> s) {
    ConfigException fromText =
        catchThrowableOfType(
            ConfigException.class, () -> ServerConfig.builder().set(s.key(), s.text()));
    ConfigException typed =
        catchThrowableOfType(ConfigException.class, () -> s.with(ServerConfig.builder()));
    assertThat(fromText).isNotNull();
    assertThat(typed).isNotNull();
    assertThat(typed.getMessage()).isEqualTo(fromText.getMessage()).contains(s.key().key());
  }

  @Test
  void refusalsSayWhatIsExpected() {
    assertThatThrownBy(() -> ServerConfig.builder().with(Key.PORT, 70000))
        .isInstanceOf(ConfigException.class)
        .hasMessage("invalid value for port: '70000' (expected 0..65535)");
    assertThatThrownBy(() -> ServerConfig.builder().with(Key.MAX_FRIENDS, 501))
        .hasMessage("invalid value for max-friends: '501' (expected 1..500)");
    assertThatThrownBy(() -> ServerConfig.builder().with(Key.PASSWORD_MEMORY_KIB, 4))
        .hasMessage("invalid value for password.memory-kib: '4' (expected 8..4194304)");
    assertThatThrownBy(() -> ServerConfig.builder().with(Key.IDLE_TIMEOUT, Duration.ZERO))
        .hasMessage("idle-timeout must be positive, got 0s");
    assertThatThrownBy(() -> ServerConfig.builder().set(Key.SQLITE_SYNCHRONOUS, "fast"))
        .hasMessage(
            "invalid value for sqlite.synchronous: 'fast' (expected one of OFF, NORMAL, FULL,"
                + " EXTRA)");
    assertThatThrownBy(() -> ServerConfig.builder().set(Key.PORT, "seven"))
        .hasMessage("invalid value for port: 'seven' (expected an integer)");
  }

  @Test
  void boundariesAreAccepted() {
    ServerConfig c =
        ServerConfig.builder()
            .with(Key.PORT, 65535)
            .with(Key.MAX_FRIENDS, 500)
            .with(Key.PASSWORD_MEMORY_KIB, 8)
            .with(Key.ADMIN_PORT, -1)
            .with(Key.IDLE_TIMEOUT, Duration.ofMillis(1))
            .build();
    assertThat(c.port()).isEqualTo(65535);
    assertThat(c.maxFriends()).isEqualTo(500);
  }

  @Test
  void everyDefaultPassesItsOwnRuleAndReadsBackFromItsText() {
    ServerConfig defaults = ServerConfig.builder().build();
    for (Key<?> k : Key.all()) {
      assertDefaultIsValid(k, defaults);
    }
  }

  private static <T> void assertDefaultIsValid(Key<T> k, ServerConfig defaults) {
    ServerConfig typed = ServerConfig.builder().with(k, k.defaultValue()).build();
    ServerConfig fromText = ServerConfig.builder().set(k, k.text(k.defaultValue())).build();
    assertThat(typed.get(k)).as(k.key()).isEqualTo(k.defaultValue());
    assertThat(fromText.get(k)).as(k.key()).isEqualTo(k.defaultValue());
    assertThat(defaults.get(k)).as(k.key()).isEqualTo(k.defaultValue()).isInstanceOf(k.type());
  }

  @Test
  void typedGetReturnsTheKeysType() {
    ServerConfig c =
        ServerConfig.builder()
            .set(Key.PORT, "9000")
            .set(Key.IDLE_TIMEOUT, "90s")
            .set(Key.STORE, "postgres")
            .set(Key.CLUSTER, "REDIS")
            .set(Key.PROXY_PROTOCOL, "yes")
            .set(Key.TIME_ZONE, "Asia/Shanghai")
            .set(Key.SQLITE_SYNCHRONOUS, "normal")
            .with(Key.DATA_DIR, Path.of("/var/lib/imps"))
            .build();
    int port = c.get(Key.PORT);
    Duration idle = c.get(Key.IDLE_TIMEOUT);
    StoreKind store = c.get(Key.STORE);
    ClusterKind cluster = c.get(Key.CLUSTER);
    boolean proxy = c.get(Key.PROXY_PROTOCOL);
    ZoneId zone = c.get(Key.TIME_ZONE);
    String sync = c.get(Key.SQLITE_SYNCHRONOUS);
    Path dir = c.get(Key.DATA_DIR);
    assertThat(port).isEqualTo(9000).isEqualTo(c.port());
    assertThat(idle).isEqualTo(Duration.ofSeconds(90)).isEqualTo(c.idleTimeout());
    assertThat(store).isEqualTo(StoreKind.POSTGRES).isEqualTo(c.store());
    assertThat(cluster).isEqualTo(ClusterKind.REDIS).isEqualTo(c.cluster());
    assertThat(proxy).isTrue();
    assertThat(zone).isEqualTo(ZoneId.of("Asia/Shanghai"));
    assertThat(sync).isEqualTo("NORMAL");
    assertThat(dir).isEqualTo(Path.of("/var/lib/imps")).isEqualTo(c.dataDir());
  }

  @Test
  void typedValuesMustBeCanonical() {
    // The parser upper-cases; a typed value is taken as given and must already be canonical.
    assertThatThrownBy(() -> ServerConfig.builder().with(Key.SQLITE_SYNCHRONOUS, "normal"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("sqlite.synchronous");
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void aValueOfAnotherTypeOrNoValueIsRefused() {
    Key raw = Key.PORT;
    assertThatThrownBy(() -> ServerConfig.builder().with(raw, "7600"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("invalid value for port: '7600' (expected Integer)");
    assertThatThrownBy(() -> ServerConfig.builder().with(Key.HOST, null))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("host");
  }

  @Test
  void settingsByNameAreLookedUp() {
    assertThat(ServerConfig.builder().set("max-friends", "7").build().maxFriends()).isEqualTo(7);
    assertThatThrownBy(() -> ServerConfig.builder().set("max-freinds", "7"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("unknown setting 'max-freinds'");
    for (Key<?> k : Key.all()) {
      assertThat(Key.byName(k.key())).containsSame(k);
    }
    assertThat(Key.byName("nope")).isEmpty();
  }

  @Test
  void keysHaveUniqueNamesEnvironmentNamesAndADescription() {
    List<Key<?>> all = Key.all();
    long declared =
        java.util.Arrays.stream(Key.class.getDeclaredFields())
            .filter(f -> f.getType() == Key.class)
            .filter(f -> java.lang.reflect.Modifier.isStatic(f.getModifiers()))
            .count();
    // Every declared key is registered, in declaration order.
    assertThat(all).hasSize((int) declared).startsWith(Key.HOST, Key.PORT, Key.DATA_DIR);
    assertThat(all.stream().map(Key::key)).doesNotHaveDuplicates();
    assertThat(all.stream().map(Key::envName))
        .doesNotHaveDuplicates()
        .allMatch(n -> n.matches("IMPS_[A-Z0-9_]+"));
    for (Key<?> k : all) {
      assertThat(k.description()).as(k.key()).matches("[A-Z].*\\.").doesNotContain("\n");
    }
    assertThatThrownBy(() -> all.add(Key.HOST)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void valuesAreWrittenAsAConfigFileWritesThem() {
    assertThat(Key.IDLE_TIMEOUT.text(Duration.ofSeconds(180))).isEqualTo("3m");
    assertThat(Key.IDLE_TIMEOUT.text(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(Key.IDLE_TIMEOUT.text(Duration.ofDays(30))).isEqualTo("30d");
    assertThat(Key.IDLE_TIMEOUT.text(Duration.ofHours(2))).isEqualTo("2h");
    assertThat(Key.IDLE_TIMEOUT.text(Duration.ofNanos(1500))).isEqualTo("PT0.0000015S");
    assertThat(Key.STORE.text(StoreKind.POSTGRES)).isEqualTo("postgres");
    assertThat(Key.NODE_ID.defaultText()).isEqualTo("empty");
    assertThat(Key.MAX_AUDIO_BYTES.defaultText()).isEqualTo("61440");
  }

  @Test
  void describeIsAConfigTheLoaderReadsBack() {
    ServerConfig c =
        ServerConfig.builder()
            .port(9000)
            .with(Key.NODE_TTL, Duration.ofMillis(2500))
            .with(Key.CLUSTER, ClusterKind.REDIS)
            .with(Key.TIME_ZONE, ZoneId.of("Europe/Paris"))
            .with(Key.PROXY_PROTOCOL, true)
            .build();
    Map<String, String> flags = new HashMap<>(c.describe());
    ServerConfig again = ConfigLoader.load(null, Map.of(), flags);
    assertThat(again.describe()).isEqualTo(c.describe());
    assertThat(again.get(Key.NODE_TTL)).isEqualTo(Duration.ofMillis(2500));
    assertThat(new HashSet<>(c.describe().keySet()))
        .hasSameSizeAs(Key.all())
        .allMatch(name -> Key.byName(name).isPresent());
  }
}
