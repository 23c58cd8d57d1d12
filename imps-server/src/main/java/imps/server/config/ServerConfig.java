package imps.server.config;

import imps.server.limit.TokenBucket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Every server setting, immutable. Each setting is a {@link Key}: a key as written in a config
 * file, an environment variable, a type, a default, a parser and a rule. Build one with {@link
 * #builder()} or {@link ConfigLoader}; both check every value with its key's rule, so a
 * configuration built in code is one the loader would accept.
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
  public static final int DEFAULT_TLS_PORT = 7643;
  public static final Path DEFAULT_DATA_DIR = Path.of("data");
  public static final int DEFAULT_WEB_PORT = 7680;

  private final Map<Key<?>, Object> values;

  private ServerConfig(Map<Key<?>, Object> values) {
    this.values = Map.copyOf(values);
  }

  /**
   * One setting. The constants are all the settings, in the order of docs/CONFIGURATION.md, which a
   * test keeps in step with them; {@link #all()} lists them in that order.
   *
   * <p>Each setting is defined (key, default, rule, description) in its group, {@code ServerKeys}
   * or {@code LimitKeys}, and re-exported here. Initialising this class reads the groups in that
   * order, which registers their keys in {@link #all()} in declaration order; so no other class may
   * read a group directly (it would run before {@code ALL} exists). A new key is added at the end
   * of its group there and here.
   */
  public static final class Key<T> {
    // Must come before the constants: initialising them registers every key here.
    private static final List<Key<?>> ALL = new ArrayList<>();

    // The settings of the server itself (ServerKeys), then the limits (LimitKeys).
    public static final Key<String> HOST = ServerKeys.HOST;
    public static final Key<Integer> PORT = ServerKeys.PORT;
    public static final Key<Path> DATA_DIR = ServerKeys.DATA_DIR;
    public static final Key<StoreKind> STORE = ServerKeys.STORE;
    public static final Key<String> POSTGRES_URL = ServerKeys.POSTGRES_URL;
    public static final Key<String> POSTGRES_USER = ServerKeys.POSTGRES_USER;
    public static final Key<String> POSTGRES_PASSWORD = ServerKeys.POSTGRES_PASSWORD;
    public static final Key<Integer> POSTGRES_POOL_SIZE = ServerKeys.POSTGRES_POOL_SIZE;
    public static final Key<Integer> POSTGRES_WRITERS = ServerKeys.POSTGRES_WRITERS;
    public static final Key<Duration> POSTGRES_STATEMENT_TIMEOUT =
        ServerKeys.POSTGRES_STATEMENT_TIMEOUT;
    public static final Key<Duration> POSTGRES_SOCKET_TIMEOUT = ServerKeys.POSTGRES_SOCKET_TIMEOUT;
    public static final Key<ClusterKind> CLUSTER = ServerKeys.CLUSTER;
    public static final Key<String> REDIS_URI = ServerKeys.REDIS_URI;
    public static final Key<String> NODE_ID = ServerKeys.NODE_ID;
    public static final Key<Duration> NODE_TTL = ServerKeys.NODE_TTL;
    public static final Key<Integer> REDIS_STREAM_MAX_BYTES = ServerKeys.REDIS_STREAM_MAX_BYTES;
    public static final Key<ZoneId> TIME_ZONE = ServerKeys.TIME_ZONE;
    public static final Key<Duration> IDLE_TIMEOUT = ServerKeys.IDLE_TIMEOUT;
    public static final Key<Duration> LOGIN_TIMEOUT = ServerKeys.LOGIN_TIMEOUT;
    public static final Key<Duration> TCP_USER_TIMEOUT = ServerKeys.TCP_USER_TIMEOUT;
    public static final Key<Integer> MAX_VIOLATIONS = ServerKeys.MAX_VIOLATIONS;
    public static final Key<Integer> MAX_MESSAGE_CHARS = ServerKeys.MAX_MESSAGE_CHARS;
    public static final Key<Integer> MAX_AUDIO_BYTES = ServerKeys.MAX_AUDIO_BYTES;
    public static final Key<Integer> MAX_FRIENDS = ServerKeys.MAX_FRIENDS;
    public static final Key<Duration> LOCATION_RETENTION = ServerKeys.LOCATION_RETENTION;
    public static final Key<Duration> LOCATION_LIVE_INTERVAL = ServerKeys.LOCATION_LIVE_INTERVAL;
    public static final Key<Duration> SESSION_TOKEN_TTL = ServerKeys.SESSION_TOKEN_TTL;
    public static final Key<Integer> SESSION_TOKENS_PER_USER = ServerKeys.SESSION_TOKENS_PER_USER;
    public static final Key<Duration> LOG_SUMMARY_INTERVAL = ServerKeys.LOG_SUMMARY_INTERVAL;
    public static final Key<String> LOG_LEVEL = ServerKeys.LOG_LEVEL;
    public static final Key<Integer> IO_THREADS = ServerKeys.IO_THREADS;
    public static final Key<Integer> WORKER_THREADS = ServerKeys.WORKER_THREADS;
    public static final Key<Integer> WORKER_QUEUE = ServerKeys.WORKER_QUEUE;
    public static final Key<Integer> MAX_PENDING_REQUESTS = ServerKeys.MAX_PENDING_REQUESTS;
    public static final Key<Integer> MAX_PENDING_BYTES = ServerKeys.MAX_PENDING_BYTES;
    public static final Key<Integer> MAX_FIXES_PER_HEARTBEAT = ServerKeys.MAX_FIXES_PER_HEARTBEAT;
    public static final Key<Integer> MAX_CONNECTIONS = ServerKeys.MAX_CONNECTIONS;
    public static final Key<Integer> PASSWORD_MEMORY_KIB = ServerKeys.PASSWORD_MEMORY_KIB;
    public static final Key<Integer> PASSWORD_ITERATIONS = ServerKeys.PASSWORD_ITERATIONS;
    public static final Key<String> SQLITE_SYNCHRONOUS = ServerKeys.SQLITE_SYNCHRONOUS;
    public static final Key<Integer> WRITE_BATCH_MAX = ServerKeys.WRITE_BATCH_MAX;
    public static final Key<Duration> WRITE_BATCH_DELAY = ServerKeys.WRITE_BATCH_DELAY;
    public static final Key<Integer> ADMIN_PORT = ServerKeys.ADMIN_PORT;
    public static final Key<String> ADMIN_HOST = ServerKeys.ADMIN_HOST;
    public static final Key<Boolean> PROXY_PROTOCOL = ServerKeys.PROXY_PROTOCOL;
    public static final Key<Boolean> WEB_ENABLED = ServerKeys.WEB_ENABLED;
    public static final Key<String> WEB_HOST = ServerKeys.WEB_HOST;
    public static final Key<Integer> WEB_PORT = ServerKeys.WEB_PORT;
    public static final Key<String> WEB_TILE_URL = ServerKeys.WEB_TILE_URL;
    public static final Key<String> WEB_TILE_ATTRIBUTION = ServerKeys.WEB_TILE_ATTRIBUTION;
    public static final Key<Boolean> WEB_FORWARDED_FOR = ServerKeys.WEB_FORWARDED_FOR;
    public static final Key<CidrList> PROXY_PROTOCOL_TRUSTED = ServerKeys.PROXY_PROTOCOL_TRUSTED;
    public static final Key<Integer> TLS_PORT = ServerKeys.TLS_PORT;
    public static final Key<String> TLS_CERT_FILE = ServerKeys.TLS_CERT_FILE;
    public static final Key<String> TLS_KEY_FILE = ServerKeys.TLS_KEY_FILE;
    public static final Key<Boolean> TLS_REQUIRED = ServerKeys.TLS_REQUIRED;
    public static final Key<Duration> TLS_RELOAD_CHECK = ServerKeys.TLS_RELOAD_CHECK;
    public static final Key<Duration> DRAIN_TIMEOUT = ServerKeys.DRAIN_TIMEOUT;
    public static final Key<String> ADMIN_TOKEN = ServerKeys.ADMIN_TOKEN;

    // Limits: docs/CONFIGURATION.md lists these under "Limits", with the anchors' defaults.
    public static final Key<Integer> PASSWORD_HEAP_PERCENT = LimitKeys.PASSWORD_HEAP_PERCENT;
    public static final Key<Integer> PASSWORD_QUEUE = LimitKeys.PASSWORD_QUEUE;
    public static final Key<Duration> PASSWORD_CACHE_TTL = LimitKeys.PASSWORD_CACHE_TTL;
    public static final Key<Integer> LOGIN_FAILURES_PER_USER = LimitKeys.LOGIN_FAILURES_PER_USER;
    public static final Key<Duration> LOGIN_DELAY = LimitKeys.LOGIN_DELAY;
    public static final Key<Duration> LOGIN_DELAY_MAX = LimitKeys.LOGIN_DELAY_MAX;
    public static final Key<Integer> LOGIN_FAILURES_PER_ADDRESS =
        LimitKeys.LOGIN_FAILURES_PER_ADDRESS;
    public static final Key<Duration> LOGIN_FAILURE_WINDOW = LimitKeys.LOGIN_FAILURE_WINDOW;
    public static final Key<Integer> REGISTRATIONS_PER_ADDRESS =
        LimitKeys.REGISTRATIONS_PER_ADDRESS;
    public static final Key<Duration> REGISTRATION_WINDOW = LimitKeys.REGISTRATION_WINDOW;
    public static final Key<Integer> REGISTRATIONS_PER_MINUTE = LimitKeys.REGISTRATIONS_PER_MINUTE;
    public static final Key<TokenBucket.Rate> LIMIT_REQUESTS = LimitKeys.LIMIT_REQUESTS;
    public static final Key<TokenBucket.Rate> LIMIT_MESSAGES = LimitKeys.LIMIT_MESSAGES;
    public static final Key<TokenBucket.Rate> LIMIT_CLIPS = LimitKeys.LIMIT_CLIPS;
    public static final Key<TokenBucket.Rate> LIMIT_STATUS = LimitKeys.LIMIT_STATUS;
    public static final Key<TokenBucket.Rate> LIMIT_FRIEND_REQUESTS =
        LimitKeys.LIMIT_FRIEND_REQUESTS;
    public static final Key<TokenBucket.Rate> LIMIT_FRIEND_LISTS = LimitKeys.LIMIT_FRIEND_LISTS;
    public static final Key<TokenBucket.Rate> LIMIT_FIXES = LimitKeys.LIMIT_FIXES;
    public static final Key<TokenBucket.Rate> LIMIT_UNKNOWN_NAMES = LimitKeys.LIMIT_UNKNOWN_NAMES;
    public static final Key<TokenBucket.Rate> LIMIT_LOGINS = LimitKeys.LIMIT_LOGINS;
    public static final Key<Integer> OUTPUT_MAX_BYTES_PER_CONNECTION =
        LimitKeys.OUTPUT_MAX_BYTES_PER_CONNECTION;
    public static final Key<Integer> OUTPUT_BUDGET_BYTES = LimitKeys.OUTPUT_BUDGET_BYTES;
    public static final Key<Integer> FRIEND_REQUESTS_PENDING_PER_SENDER =
        LimitKeys.FRIEND_REQUESTS_PENDING_PER_SENDER;
    public static final Key<Integer> FRIEND_REQUESTS_PENDING_PER_RECIPIENT =
        LimitKeys.FRIEND_REQUESTS_PENDING_PER_RECIPIENT;
    public static final Key<Duration> FRIEND_REQUESTS_EXPIRY = LimitKeys.FRIEND_REQUESTS_EXPIRY;
    public static final Key<Integer> QUOTA_UNDELIVERED_ITEMS = LimitKeys.QUOTA_UNDELIVERED_ITEMS;
    public static final Key<Integer> QUOTA_UNDELIVERED_BYTES = LimitKeys.QUOTA_UNDELIVERED_BYTES;
    public static final Key<Duration> HISTORY_RETENTION = LimitKeys.HISTORY_RETENTION;
    public static final Key<TokenBucket.Rate> LIMIT_CONNECTIONS_PER_ADDRESS =
        LimitKeys.LIMIT_CONNECTIONS_PER_ADDRESS;
    public static final Key<Integer> LIMIT_UNAUTHENTICATED_PER_ADDRESS =
        LimitKeys.LIMIT_UNAUTHENTICATED_PER_ADDRESS;
    public static final Key<CidrList> LIMIT_EXEMPT = LimitKeys.LIMIT_EXEMPT;

    private static final List<Key<?>> ALL_VIEW = Collections.unmodifiableList(ALL);

    private final KeyDefinition<T> definition;
    private final String description;

    private Key(KeyDefinition<T> definition, String description) {
      this.definition = definition;
      this.description = description;
    }

    static <T> Key<T> register(KeyDefinition<T> definition, String description) {
      Key<T> k = new Key<>(definition, description);
      ALL.add(k);
      return k;
    }

    /** Every setting, in declaration order. */
    public static List<Key<?>> all() {
      return ALL_VIEW;
    }

    /** The setting for a config-file key, if there is one. */
    public static Optional<Key<?>> byName(String key) {
      return ALL.stream().filter(k -> k.key().equals(key)).findFirst();
    }

    /** The key as written in a config file or {@code --set}. */
    public String key() {
      return definition.key();
    }

    /** The environment variable that sets this key. */
    public String envName() {
      return "IMPS_" + key().toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
    }

    public Class<T> type() {
      return definition.type();
    }

    public T defaultValue() {
      return definition.defaultValue();
    }

    /** One sentence on what the setting does, for docs and generated config files. */
    public String description() {
      return description;
    }

    /** A value as a config file writes it: the key's parser reads it back as the same value. */
    public String text(T value) {
      return definition.text(value);
    }

    /** The default as docs/CONFIGURATION.md writes it: its text form, or {@code empty}. */
    public String defaultText() {
      String text = text(definition.defaultValue());
      return text.isEmpty() ? "empty" : text;
    }

    /** Parses and checks a value written as text; the error names the key and the text. */
    T parse(String text) {
      return definition.parse(text);
    }

    /** Checks a typed value exactly as {@link #parse} checks a parsed one. */
    T check(T value) {
      return definition.check(value);
    }

    @Override
    public String toString() {
      return key();
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The value of a setting, of the setting's type. */
  public <T> T get(Key<T> key) {
    return key.type().cast(values.get(key));
  }

  // Shorthands for settings read in many places; each is only get(Key.X).

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

  public Duration historyRetention() {
    return get(Key.HISTORY_RETENTION);
  }

  public Duration locationLiveInterval() {
    return get(Key.LOCATION_LIVE_INTERVAL);
  }

  public int workerThreads() {
    return get(Key.WORKER_THREADS);
  }

  public int maxPendingRequests() {
    return get(Key.MAX_PENDING_REQUESTS);
  }

  /**
   * Every setting and its value as a config file writes it, in declaration order, for logs (the
   * database password, the admin token, and passwords inside the PostgreSQL URL and the Redis URI,
   * are masked).
   */
  public Map<String, String> describe() {
    Map<String, String> out = new LinkedHashMap<>();
    for (Key<?> k : Key.all()) {
      String text = textOf(k);
      if ((k == Key.POSTGRES_PASSWORD || k == Key.ADMIN_TOKEN) && !text.isEmpty()) {
        text = Secrets.MASK;
      } else if (k == Key.POSTGRES_URL || k == Key.REDIS_URI) {
        text = Secrets.redactUri(text);
      }
      out.put(k.key(), text);
    }
    return out;
  }

  private <T> String textOf(Key<T> key) {
    return key.text(get(key));
  }

  @Override
  public String toString() {
    return "ServerConfig" + describe();
  }

  /**
   * Starts from the defaults; every value is checked by its key's rule when it is set, whether as
   * text or typed, so {@link #build()} cannot fail. Not thread-safe.
   */
  public static final class Builder {
    private final Map<Key<?>, Object> values = new LinkedHashMap<>();

    private Builder() {
      for (Key<?> k : Key.all()) {
        values.put(k, k.defaultValue());
      }
    }

    /** Sets a setting from its text form, by its config-file key. */
    public Builder set(String key, String text) {
      Key<?> k =
          Key.byName(key).orElseThrow(() -> new ConfigException("unknown setting '" + key + "'"));
      return set(k, text);
    }

    /** Sets a setting from its text form, as a file, the environment or a flag gives it. */
    public <T> Builder set(Key<T> key, String text) {
      values.put(key, key.parse(text));
      return this;
    }

    /** Sets a typed value, checked exactly as {@link #set(Key, String)} checks a parsed one. */
    public <T> Builder with(Key<T> key, T value) {
      values.put(key, key.check(value));
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
      return new ServerConfig(values);
    }
  }
}
