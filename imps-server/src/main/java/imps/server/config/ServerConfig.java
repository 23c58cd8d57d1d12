package imps.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Every server setting, immutable. Each setting has a key (as written in a config file), an
 * environment variable ({@code IMPS_} plus the key upper-cased with {@code -} and {@code .} as
 * {@code _}), and a named default. Build one with {@link #builder()} or {@link ConfigLoader}.
 */
public final class ServerConfig {

  /** Which store holds accounts, friendships and messages. */
  public enum StoreKind {
    SQLITE,
    POSTGRES
  }

  /** How sessions are found and pushes routed between nodes. */
  public enum ClusterKind {
    LOCAL,
    REDIS
  }

  public static final String DEFAULT_HOST = "0.0.0.0";
  public static final int DEFAULT_PORT = 7600;
  public static final Path DEFAULT_DATA_DIR = Path.of("data");
  public static final int DEFAULT_WEB_PORT = 7680;

  private final Map<Key, Object> values;

  private ServerConfig(Map<Key, Object> values) {
    this.values = Map.copyOf(values);
  }

  /** The settings, each with its key, default and parser. */
  public enum Key {
    HOST("host", DEFAULT_HOST, s -> s),
    PORT("port", DEFAULT_PORT, Parsers::port),
    DATA_DIR("data-dir", DEFAULT_DATA_DIR, Path::of),
    STORE("store", StoreKind.SQLITE, s -> Parsers.enumValue(StoreKind.class, s)),
    POSTGRES_URL("postgres.url", "jdbc:postgresql://127.0.0.1:5432/imps", s -> s),
    POSTGRES_USER("postgres.user", "postgres", s -> s),
    POSTGRES_PASSWORD("postgres.password", "", s -> s),
    POSTGRES_POOL_SIZE("postgres.pool-size", 16, s -> Parsers.intIn(s, 1, 1000)),
    /** Writer connections: each commits its own batches, concurrently with the others. */
    POSTGRES_WRITERS("postgres.writers", 4, s -> Parsers.intIn(s, 1, 64)),
    CLUSTER("cluster", ClusterKind.LOCAL, s -> Parsers.enumValue(ClusterKind.class, s)),
    REDIS_URI("redis.uri", "redis://127.0.0.1:6379", s -> s),
    NODE_ID("node-id", "", s -> s),
    NODE_TTL("node-ttl", Duration.ofSeconds(30), Parsers::duration),
    TIME_ZONE("time-zone", ZoneId.of("UTC"), ZoneId::of),
    IDLE_TIMEOUT("idle-timeout", Duration.ofSeconds(180), Parsers::duration),
    LOGIN_TIMEOUT("login-timeout", Duration.ofSeconds(30), Parsers::duration),
    MAX_VIOLATIONS("max-violations", 16, s -> Parsers.intIn(s, 1, 1_000_000)),
    // At most 10000: even if every character is an emoji (6 bytes), S_SEND_MSG must fit a frame.
    MAX_MESSAGE_CHARS("max-message-chars", 4096, s -> Parsers.intIn(s, 1, 10_000)),
    MAX_AUDIO_BYTES("max-audio-bytes", 60 * 1024, s -> Parsers.intIn(s, 1, 65_000)),
    MAX_FRIENDS("max-friends", 500, s -> Parsers.intIn(s, 1, 500)),
    LOCATION_RETENTION("location-retention", Duration.ofDays(30), Parsers::duration),
    WORKER_THREADS("worker-threads", 64, s -> Parsers.intIn(s, 1, 4096)),
    /** 0: one per core. */
    IO_THREADS("io-threads", 0, s -> Parsers.intIn(s, 0, 1024)),
    MAX_PENDING_REQUESTS("max-pending-requests", 256, s -> Parsers.intIn(s, 1, 1_000_000)),
    /** Open connections at most; more are closed at once (the heap is sized for 100,000). */
    MAX_CONNECTIONS("max-connections", 100_000, s -> Parsers.intIn(s, 1, 100_000_000)),
    PASSWORD_MEMORY_KIB(
        "password.memory-kib", 19 * 1024, s -> Parsers.intIn(s, 8, 4 * 1024 * 1024)),
    PASSWORD_ITERATIONS("password.iterations", 2, s -> Parsers.intIn(s, 1, 100)),
    LOGIN_FAILURES_PER_USER("login.failures-per-user", 5, s -> Parsers.intIn(s, 1, 1_000_000)),
    LOGIN_FAILURES_PER_ADDRESS(
        "login.failures-per-address", 30, s -> Parsers.intIn(s, 1, 1_000_000)),
    LOGIN_FAILURE_WINDOW("login.failure-window", Duration.ofMinutes(1), Parsers::duration),
    REGISTRATIONS_PER_ADDRESS("register.per-address", 20, s -> Parsers.intIn(s, 1, 1_000_000)),
    REGISTRATION_WINDOW("register.window", Duration.ofMinutes(1), Parsers::duration),
    SQLITE_SYNCHRONOUS("sqlite.synchronous", "FULL", Parsers::sqliteSync),
    WRITE_BATCH_MAX("write-batch-max", 512, s -> Parsers.intIn(s, 1, 100_000)),
    PROXY_PROTOCOL("proxy-protocol", false, Parsers::bool),
    /** -1: no admin endpoint; 0: any free port. */
    ADMIN_PORT("admin.port", -1, s -> Parsers.intIn(s, -1, 65535)),
    ADMIN_HOST("admin.host", "127.0.0.1", s -> s),
    /** The web client's HTTP port: static files and WebSocket connections (docs/WEB.md). */
    WEB_ENABLED("web.enabled", true, Parsers::bool),
    /** Empty: the same address as {@code host}. */
    WEB_HOST("web.host", "", s -> s),
    WEB_PORT("web.port", DEFAULT_WEB_PORT, Parsers::port),
    /** Map tiles, {@code https://host/{z}/{x}/{y}.png}; empty: the offline basemap only. */
    WEB_TILE_URL("web.tile-url", "", Parsers::tileUrl),
    WEB_TILE_ATTRIBUTION("web.tile-attribution", "", s -> s),
    /** Take the client address from X-Forwarded-For (only behind a reverse proxy). */
    WEB_FORWARDED_FOR("web.forwarded-for", false, Parsers::bool);

    private final String key;
    private final Object defaultValue;
    private final Function<String, Object> parser;

    @SuppressWarnings("unchecked")
    <T> Key(String key, T defaultValue, Function<String, ? extends T> parser) {
      this.key = key;
      this.defaultValue = defaultValue;
      this.parser = (Function<String, Object>) parser;
    }

    /** The key as written in a config file or {@code --set}. */
    public String key() {
      return key;
    }

    /** The environment variable that sets this key. */
    public String envName() {
      return "IMPS_" + key.toUpperCase(java.util.Locale.ROOT).replace('-', '_').replace('.', '_');
    }

    public Object defaultValue() {
      return defaultValue;
    }

    Object parse(String text) {
      try {
        return Objects.requireNonNull(parser.apply(text.trim()));
      } catch (RuntimeException e) {
        throw new ConfigException(
            "invalid value for " + key + ": '" + text + "' (" + e.getMessage() + ")");
      }
    }

    /** The key for a config-file name, or {@code null}. */
    public static Key byName(String name) {
      for (Key k : values()) {
        if (k.key.equals(name)) {
          return k;
        }
      }
      return null;
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this config's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.values.putAll(values);
    return b;
  }

  @SuppressWarnings("unchecked")
  public <T> T get(Key key) {
    return (T) values.get(key);
  }

  public String host() {
    return get(Key.HOST);
  }

  public int port() {
    return get(Key.PORT);
  }

  public Path dataDir() {
    return get(Key.DATA_DIR);
  }

  public StoreKind store() {
    return get(Key.STORE);
  }

  public ClusterKind cluster() {
    return get(Key.CLUSTER);
  }

  public ZoneId timeZone() {
    return get(Key.TIME_ZONE);
  }

  public Duration idleTimeout() {
    return get(Key.IDLE_TIMEOUT);
  }

  public Duration loginTimeout() {
    return get(Key.LOGIN_TIMEOUT);
  }

  public int maxViolations() {
    return get(Key.MAX_VIOLATIONS);
  }

  public int maxMessageChars() {
    return get(Key.MAX_MESSAGE_CHARS);
  }

  public int maxAudioBytes() {
    return get(Key.MAX_AUDIO_BYTES);
  }

  public int maxFriends() {
    return get(Key.MAX_FRIENDS);
  }

  public Duration locationRetention() {
    return get(Key.LOCATION_RETENTION);
  }

  public int workerThreads() {
    return get(Key.WORKER_THREADS);
  }

  public int maxPendingRequests() {
    return get(Key.MAX_PENDING_REQUESTS);
  }

  /** Every setting and its value, in declaration order, for logs (the password is masked). */
  public Map<String, String> describe() {
    Map<String, String> out = new LinkedHashMap<>();
    for (Key k : Key.values()) {
      Object v = values.get(k);
      out.put(k.key, k == Key.POSTGRES_PASSWORD && !"".equals(v) ? "****" : String.valueOf(v));
    }
    return out;
  }

  @Override
  public String toString() {
    return "ServerConfig" + describe();
  }

  /** Collects values; {@link #build()} validates. Not thread-safe. */
  public static final class Builder {
    private final Map<Key, Object> values = new LinkedHashMap<>();

    private Builder() {
      for (Key k : Key.values()) {
        values.put(k, k.defaultValue);
      }
    }

    /** Sets a key from its text form, as a file, the environment or a flag gives it. */
    public Builder set(Key key, String text) {
      values.put(key, key.parse(text));
      return this;
    }

    /** Sets a typed value; the type must be the key's (as its default's). */
    public Builder with(Key key, Object value) {
      if (!key.defaultValue.getClass().isInstance(value)
          && !(key.defaultValue instanceof Path && value instanceof Path)
          && !(key.defaultValue instanceof ZoneId && value instanceof ZoneId)) {
        throw new IllegalArgumentException(key.key + " takes a " + key.defaultValue.getClass());
      }
      values.put(key, value);
      return this;
    }

    public Builder host(String host) {
      return with(Key.HOST, host);
    }

    public Builder port(int port) {
      return with(Key.PORT, port);
    }

    public Builder dataDir(Path dir) {
      return with(Key.DATA_DIR, dir);
    }

    public ServerConfig build() {
      ServerConfig c = new ServerConfig(values);
      validate(c);
      return c;
    }

    private static void validate(ServerConfig c) {
      requirePositive(c.idleTimeout(), Key.IDLE_TIMEOUT);
      requirePositive(c.loginTimeout(), Key.LOGIN_TIMEOUT);
      requirePositive(c.get(Key.NODE_TTL), Key.NODE_TTL);
      requirePositive(c.locationRetention(), Key.LOCATION_RETENTION);
      if (c.maxAudioBytes() + 200 > imps.protocol.Limits.MAX_CONTENT_LENGTH) {
        throw new ConfigException("max-audio-bytes must leave room for the frame's other fields");
      }
    }

    private static void requirePositive(Duration d, Key key) {
      if (d.isZero() || d.isNegative()) {
        throw new ConfigException(key.key + " must be positive, got " + d);
      }
    }
  }
}
