package imps.server;

import imps.server.config.ServerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one configuration every test server starts from, in process ({@link #builder}) or as a
 * separate JVM ({@link #asSetFlags}): loopback, a free port, the cheapest Argon2 cost (tests hash a
 * password per registration and check one per login), and per-address and global throttles relaxed,
 * because every test connects from 127.0.0.1, and so are the rate limits per command. The per-user
 * login throttle keeps its default; tests of a throttle or a rate limit set it themselves.
 */
public final class TestServerConfig {
  /**
   * The Redis of a test server that was not given one of a test's own ({@code RedisTestServer}): an
   * address where nothing listens, so that a cluster test that forgets its Redis fails instead of
   * using a developer's at the default address.
   */
  public static final String NO_REDIS = "redis://127.0.0.1:1";

  /** The settings that differ from the defaults, as {@code --set} takes them. */
  private static final Map<ServerConfig.Key, String> SETTINGS = new LinkedHashMap<>();

  static {
    SETTINGS.put(ServerConfig.Key.REDIS_URI, NO_REDIS);
    SETTINGS.put(ServerConfig.Key.PASSWORD_MEMORY_KIB, "64");
    SETTINGS.put(ServerConfig.Key.PASSWORD_ITERATIONS, "1");
    SETTINGS.put(ServerConfig.Key.LOGIN_FAILURES_PER_ADDRESS, "1000");
    SETTINGS.put(ServerConfig.Key.REGISTRATIONS_PER_ADDRESS, "1000000");
    // Many servers at once: the web port of each is a free one too.
    SETTINGS.put(ServerConfig.Key.WEB_PORT, "0");
    SETTINGS.put(ServerConfig.Key.REGISTRATIONS_PER_MINUTE, "1000000");
    // Tests send many requests of a kind quickly (hundreds of clips, say); tests of a rate limit
    // set it themselves.
    for (ServerConfig.Key<?> k :
        List.of(
            ServerConfig.Key.LIMIT_REQUESTS,
            ServerConfig.Key.LIMIT_MESSAGES,
            ServerConfig.Key.LIMIT_CLIPS,
            ServerConfig.Key.LIMIT_STATUS,
            ServerConfig.Key.LIMIT_FRIEND_REQUESTS,
            ServerConfig.Key.LIMIT_FRIEND_LISTS,
            ServerConfig.Key.LIMIT_FIXES,
            ServerConfig.Key.LIMIT_UNKNOWN_NAMES,
            ServerConfig.Key.LIMIT_LOGINS)) {
      SETTINGS.put(k, "1000000/1s");
    }
  }

  private TestServerConfig() {}

  /**
   * A builder with the test settings on 127.0.0.1, port 0, data in {@code dataDir}, and SQLite's
   * {@code synchronous=NORMAL} (a commit survives a crash of the process, which is all an
   * in-process server can suffer; FULL only adds an fsync per commit).
   */
  public static ServerConfig.Builder builder(Path dataDir) {
    ServerConfig.Builder b = ServerConfig.builder().host("127.0.0.1").port(0).dataDir(dataDir);
    SETTINGS.forEach(b::set);
    return b.set(ServerConfig.Key.SQLITE_SYNCHRONOUS, "NORMAL");
  }

  /**
   * The test settings as command-line flags ({@code --set key=value} each) for a server started as
   * its own process. SQLite keeps its default there: those tests kill the process to check what
   * survives.
   */
  public static List<String> asSetFlags() {
    List<String> flags = new ArrayList<>();
    SETTINGS.forEach(
        (key, value) -> {
          flags.add("--set");
          flags.add(key.key() + "=" + value);
        });
    return flags;
  }
}
