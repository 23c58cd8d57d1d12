package imps.server.config;

import imps.protocol.Limits;
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
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

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
   */
  public static final class Key<T> {
    private static final List<Key<?>> ALL = new ArrayList<>();

    public static final Key<String> HOST = text("host", DEFAULT_HOST).described("Address to bind.");
    public static final Key<Integer> PORT =
        integer("port", DEFAULT_PORT, 0, 65535)
            .described("TCP port; 0 picks a free one (the log says which).");
    public static final Key<Path> DATA_DIR =
        new Definition<>("data-dir", Path.class, DEFAULT_DATA_DIR, Path::of, Rule.any())
            .described("Directory of the SQLite store (imps.db).");
    public static final Key<StoreKind> STORE =
        choice("store", StoreKind.SQLITE)
            .described("Which store holds accounts, friendships and messages.");
    public static final Key<String> POSTGRES_URL =
        text("postgres.url", "jdbc:postgresql://127.0.0.1:5432/imps")
            .described("PostgreSQL JDBC URL.");
    public static final Key<String> POSTGRES_USER =
        text("postgres.user", "postgres").described("PostgreSQL user.");
    public static final Key<String> POSTGRES_PASSWORD =
        text("postgres.password", "").described("PostgreSQL password; masked in logs.");
    public static final Key<Integer> POSTGRES_POOL_SIZE =
        integer("postgres.pool-size", 16, 1, 1000).described("PostgreSQL read connections.");
    public static final Key<Integer> POSTGRES_WRITERS =
        integer("postgres.writers", 4, 1, 64)
            .described("PostgreSQL writer connections; each commits its own batches.");
    public static final Key<Duration> POSTGRES_STATEMENT_TIMEOUT =
        duration("postgres.statement-timeout", Duration.ofSeconds(10))
            .described("PostgreSQL cancels a statement running longer (error 11).");
    public static final Key<Duration> POSTGRES_SOCKET_TIMEOUT =
        duration("postgres.socket-timeout", Duration.ofSeconds(15))
            .described(
                "Give up on a PostgreSQL reply or connection attempt after this (error 11).");
    public static final Key<ClusterKind> CLUSTER =
        choice("cluster", ClusterKind.LOCAL)
            .described("How sessions are found and pushes routed between nodes.");
    public static final Key<String> REDIS_URI =
        text("redis.uri", "redis://127.0.0.1:6379").described("Redis of a redis cluster.");
    public static final Key<String> NODE_ID =
        text("node-id", "").described("This node's name in a cluster; empty: generated.");
    public static final Key<Duration> NODE_TTL =
        duration("node-ttl", Duration.ofSeconds(30))
            .described("How long a dead node's users stay online at most.");
    public static final Key<Integer> REDIS_STREAM_MAX_BYTES =
        integer("redis.stream-max-bytes", 64 * 1024 * 1024, 1024 * 1024, Integer.MAX_VALUE)
            .described("Bytes each node's Redis stream holds at most.");
    public static final Key<ZoneId> TIME_ZONE =
        new Definition<>("time-zone", ZoneId.class, ZoneId.of("UTC"), ZoneId::of, Rule.any())
            .described("Zone of server-generated times.");
    public static final Key<Duration> IDLE_TIMEOUT =
        duration("idle-timeout", Duration.ofSeconds(Limits.DEFAULT_IDLE_TIMEOUT_SECONDS))
            .described("Close a connection with no frame for this long.");
    public static final Key<Duration> LOGIN_TIMEOUT =
        duration("login-timeout", Duration.ofSeconds(Limits.DEFAULT_LOGIN_TIMEOUT_SECONDS))
            .described("Close a connection that has not logged in within this.");
    public static final Key<Duration> TCP_USER_TIMEOUT =
        duration("tcp-user-timeout", Duration.ofSeconds(30))
            .described("Drop a connection whose sent data stays unacknowledged this long (epoll).");
    public static final Key<Integer> MAX_VIOLATIONS =
        integer("max-violations", Limits.DEFAULT_MAX_VIOLATIONS, 1, 1_000_000)
            .described("Malformed frames tolerated per connection before it is closed.");
    // At most 10000: even if every character is an emoji (6 bytes), S_SEND_MSG must fit a frame.
    public static final Key<Integer> MAX_MESSAGE_CHARS =
        integer("max-message-chars", Limits.DEFAULT_MAX_MESSAGE_CHARS, 1, 10_000)
            .described("Longest text message, in characters.");
    // At most 65000: the clip leaves room for the frame's other fields (Limits.MAX_CONTENT_LENGTH).
    public static final Key<Integer> MAX_AUDIO_BYTES =
        integer("max-audio-bytes", Limits.DEFAULT_MAX_AUDIO_BYTES, 1, 65_000)
            .described("Largest voice clip, in bytes.");
    public static final Key<Integer> MAX_FRIENDS =
        integer("max-friends", Limits.MAX_FRIENDS, 1, Limits.MAX_FRIENDS)
            .described("Friends per user (a friend list must fit one frame).");
    public static final Key<Duration> LOCATION_RETENTION =
        duration("location-retention", Duration.ofDays(30))
            .described("How long location history is kept (purged hourly).");
    public static final Key<Duration> LOCATION_LIVE_INTERVAL =
        duration("location.live-interval", Duration.ofSeconds(5))
            .described("At most one live position push (S_LOCATION) per user per this.");
    public static final Key<Duration> SESSION_TOKEN_TTL =
        duration("session.token-ttl", Duration.ofDays(30))
            .described("How long a session token for C_RESUME lasts.");
    public static final Key<Integer> SESSION_TOKENS_PER_USER =
        integer("session.tokens-per-user", 10, 1, 1000)
            .described("Session tokens a user keeps at most; the oldest are revoked first.");
    public static final Key<Duration> LOG_SUMMARY_INTERVAL =
        duration("log.summary-interval", Duration.ofMinutes(1))
            .described("How often the INFO summary of connections and logins is logged.");
    public static final Key<Integer> IO_THREADS =
        integer("io-threads", 0, 0, 1024)
            .described("Netty event-loop threads; 0 means one per core.");
    public static final Key<Integer> WORKER_THREADS =
        integer("worker-threads", 64, 1, 4096)
            .described("Threads for work that waits (store reads, Redis); never the event loops.");
    public static final Key<Integer> WORKER_QUEUE =
        integer("worker-queue", 10_000, 1, 10_000_000)
            .described("Tasks waiting for a worker thread before new requests get error 10.");
    public static final Key<Integer> MAX_PENDING_REQUESTS =
        integer("max-pending-requests", 256, 1, 1_000_000)
            .described("Requests queued per connection before the server stops reading from it.");
    public static final Key<Integer> MAX_PENDING_BYTES =
        integer("max-pending-bytes", 1024 * 1024, 4096, 1 << 30)
            .described(
                "Wire bytes of requests queued per connection before the server stops reading.");
    public static final Key<Integer> MAX_FIXES_PER_HEARTBEAT =
        integer("max-fixes-per-heartbeat", 256, 1, 16_384)
            .described("Location fixes one heartbeat may carry; more get error 10.");
    public static final Key<Integer> MAX_CONNECTIONS =
        integer("max-connections", 100_000, 1, 100_000_000)
            .described("Open connections at most; more are closed at once.");
    public static final Key<Integer> PASSWORD_MEMORY_KIB =
        integer("password.memory-kib", 19 * 1024, 8, 4 * 1024 * 1024)
            .described("Argon2id memory cost in KiB.");
    public static final Key<Integer> PASSWORD_ITERATIONS =
        integer("password.iterations", 2, 1, 100).described("Argon2id time cost.");
    public static final Key<String> SQLITE_SYNCHRONOUS =
        new Definition<>(
                "sqlite.synchronous",
                String.class,
                "FULL",
                s -> s.toUpperCase(Locale.ROOT),
                Rule.oneOf(List.of("OFF", "NORMAL", "FULL", "EXTRA")))
            .described("SQLite synchronous pragma: FULL survives power loss, NORMAL a crash only.");
    public static final Key<Integer> WRITE_BATCH_MAX =
        integer("write-batch-max", 512, 1, 100_000)
            .described("Most writes committed together in one group commit.");
    public static final Key<Integer> ADMIN_PORT =
        integer("admin.port", -1, -1, 65535)
            .described("HTTP port of the health endpoint; -1 off, 0 any free port.");
    public static final Key<String> ADMIN_HOST =
        text("admin.host", "127.0.0.1").described("Address of the health endpoint.");
    public static final Key<Boolean> PROXY_PROTOCOL =
        new Definition<>("proxy-protocol", Boolean.class, false, Parsers::bool, Rule.any())
            .described("Read a PROXY protocol header first, for client addresses behind a proxy.");
    public static final Key<Boolean> WEB_ENABLED =
        new Definition<>("web.enabled", Boolean.class, true, Parsers::bool, Rule.any())
            .described("Serve the web client and WebSocket connections on web.port.");
    public static final Key<String> WEB_HOST =
        text("web.host", "").described("Address of the web port; empty: the same as host.");
    public static final Key<Integer> WEB_PORT =
        integer("web.port", DEFAULT_WEB_PORT, 0, 65535)
            .described("HTTP port of the web client (static files, WebSockets on /ws).");
    public static final Key<String> WEB_TILE_URL =
        new Definition<>("web.tile-url", String.class, "", Parsers::tileUrl, Rule.any())
            .described("Map tiles for the web client; empty: the offline basemap.");
    public static final Key<String> WEB_TILE_ATTRIBUTION =
        text("web.tile-attribution", "").described("The tiles' attribution shown on the map.");
    public static final Key<Boolean> WEB_FORWARDED_FOR =
        new Definition<>("web.forwarded-for", Boolean.class, false, Parsers::bool, Rule.any())
            .described("Take a WebSocket client's address from X-Forwarded-For (behind a proxy).");

    public static final Key<CidrList> PROXY_PROTOCOL_TRUSTED =
        new Definition<>(
                "proxy-protocol.trusted",
                CidrList.class,
                CidrList.LOOPBACK,
                CidrList::parse,
                Rule.any())
            .described(
                "Peers (CIDRs, comma-separated) allowed to send a PROXY header; others are closed.");
    public static final Key<Integer> TLS_PORT =
        integer("tls.port", DEFAULT_TLS_PORT, 0, 65535)
            .described("TLS port, open when tls.cert-file and tls.key-file are set; 0 picks one.");
    public static final Key<String> TLS_CERT_FILE =
        text("tls.cert-file", "")
            .described("PEM certificate chain, the server's own first; empty means no TLS.");
    public static final Key<String> TLS_KEY_FILE =
        text("tls.key-file", "")
            .described("PEM private key of that certificate (PKCS#8, PKCS#1 or EC, unencrypted).");
    public static final Key<Boolean> TLS_REQUIRED =
        new Definition<>("tls.required", Boolean.class, false, Parsers::bool, Rule.any())
            .described("Serve TLS only: the plain port is not opened.");
    public static final Key<Duration> TLS_RELOAD_CHECK =
        duration("tls.reload-check", Duration.ofSeconds(5))
            .described("How often the certificate and key files are checked for a change.");
    public static final Key<Duration> DRAIN_TIMEOUT =
        duration("drain-timeout", Duration.ofSeconds(30))
            .described(
                "On shutdown, how long connections get to answer what they sent before closing.");
    public static final Key<String> ADMIN_TOKEN =
        text("admin.token", "")
            .described(
                "Bearer token of the admin API; empty: generated into data-dir/admin.token.");

    // Limits: docs/CONFIGURATION.md lists these under "Limits", with the anchors' defaults.
    public static final Key<Integer> PASSWORD_HEAP_PERCENT =
        integer("password.heap-percent", 25, 1, 90)
            .described(
                "Share of the heap, in percent, that password hashes running at once may use.");
    public static final Key<Integer> PASSWORD_QUEUE =
        integer("password.queue", 256, 1, 1_000_000)
            .described(
                "Password hashes waiting for a hashing thread before new ones get error 10.");
    public static final Key<Duration> PASSWORD_CACHE_TTL =
        duration("password.cache-ttl", Duration.ofHours(24))
            .described("How long a verified password is remembered in memory for fast logins.");
    public static final Key<Integer> LOGIN_FAILURES_PER_USER =
        integer("login.failures-per-user", 5, 1, 1_000_000)
            .described("Failed logins for one account before its further attempts are delayed.");
    public static final Key<Duration> LOGIN_DELAY =
        duration("login.delay", Duration.ofSeconds(1))
            .described("The first delay of an account's attempts; it doubles with each failure.");
    public static final Key<Duration> LOGIN_DELAY_MAX =
        duration("login.delay-max", Duration.ofMinutes(10))
            .described("The longest delay of an account's attempts.");
    public static final Key<Integer> LOGIN_FAILURES_PER_ADDRESS =
        integer("login.failures-per-address", 20, 1, 1_000_000)
            .described(
                "Failed logins per client address (IPv6: per /64) per window; then error 10.");
    public static final Key<Duration> LOGIN_FAILURE_WINDOW =
        duration("login.failure-window", Duration.ofMinutes(10))
            .described("Window of the per-address failures; also how long an account's are kept.");
    public static final Key<Integer> REGISTRATIONS_PER_ADDRESS =
        integer("register.per-address", 1, 1, 1_000_000)
            .described(
                "Registrations per client address (IPv6: per /64) per window; then error 10.");
    public static final Key<Duration> REGISTRATION_WINDOW =
        duration("register.window", Duration.ofMinutes(10))
            .described("The window in which registrations per address are counted.");
    public static final Key<Integer> REGISTRATIONS_PER_MINUTE =
        integer("register.per-minute", 60, 1, 1_000_000)
            .described("Registrations per minute from all addresses together; then error 10.");
    public static final Key<TokenBucket.Rate> LIMIT_REQUESTS =
        rate("limit.requests", 200, Duration.ofSeconds(1))
            .described("Requests per connection (any command), as count/period; then error 10.");
    public static final Key<TokenBucket.Rate> LIMIT_MESSAGES =
        rate("limit.messages", 600, Duration.ofSeconds(10))
            .described("Text messages a user may send, as count/period; then error 10.");
    public static final Key<TokenBucket.Rate> LIMIT_CLIPS =
        rate("limit.clips", 30, Duration.ofMinutes(1))
            .described("Voice clips a user may send, as count/period; then error 10.");
    public static final Key<TokenBucket.Rate> LIMIT_STATUS =
        rate("limit.status", 30, Duration.ofMinutes(1))
            .described("Status changes (online, invisible) of a user; then error 10.");
    public static final Key<TokenBucket.Rate> LIMIT_FRIEND_REQUESTS =
        rate("limit.friend-requests", 50, Duration.ofHours(1))
            .described("Friend requests a user may send, as count/period; then error 10.");
    public static final Key<TokenBucket.Rate> LIMIT_FRIEND_LISTS =
        rate("limit.friend-lists", 30, Duration.ofMinutes(1))
            .described("Friend-list requests of a user, as count/period; then error 10.");
    public static final Key<TokenBucket.Rate> LIMIT_FIXES =
        rate("limit.fixes", 3600, Duration.ofHours(1))
            .described("Location fixes a user may store, as count/period; then error 10.");
    public static final Key<TokenBucket.Rate> LIMIT_UNKNOWN_NAMES =
        rate("limit.unknown-names", 20, Duration.ofMinutes(10))
            .described("Look-ups of names that turn out unknown, per user; then error 10.");
    public static final Key<TokenBucket.Rate> LIMIT_LOGINS =
        rate("limit.logins", 30, Duration.ofMinutes(1))
            .described("Logins of one user (right password or token), as count/period; error 10.");
    public static final Key<Integer> OUTPUT_MAX_BYTES_PER_CONNECTION =
        integer("output.max-bytes-per-connection", 2 * 1024 * 1024, 1_200_000, 1 << 30)
            .described("Bytes waiting to be written to one client before it is disconnected.");
    public static final Key<Integer> OUTPUT_BUDGET_BYTES =
        integer("output.budget-bytes", 0, 0, Integer.MAX_VALUE)
            .described("Bytes waiting for all clients together; 0: a quarter of direct memory.");
    public static final Key<Integer> FRIEND_REQUESTS_PENDING_PER_SENDER =
        integer("friend-requests.pending-per-sender", 100, 1, 1_000_000)
            .described("Friend requests one user may have pending at once; then error 10.");
    public static final Key<Integer> FRIEND_REQUESTS_PENDING_PER_RECIPIENT =
        integer("friend-requests.pending-per-recipient", 100, 1, 1_000_000)
            .described("Friend requests that may wait for one user at once; then error 10.");
    public static final Key<Duration> FRIEND_REQUESTS_EXPIRY =
        duration("friend-requests.expiry", Duration.ofDays(30))
            .described("How long an unanswered friend request is kept (purged hourly).");
    public static final Key<Integer> QUOTA_UNDELIVERED_ITEMS =
        integer("quota.undelivered-items", 5000, 1, 100_000_000)
            .described("Undelivered messages and clips one user may have waiting; then error 10.");
    public static final Key<Integer> QUOTA_UNDELIVERED_BYTES =
        integer("quota.undelivered-bytes", 50 * 1024 * 1024, 65_536, Integer.MAX_VALUE)
            .described("Bytes of undelivered messages one user may have waiting; then error 10.");
    public static final Key<Duration> HISTORY_RETENTION =
        new Definition<>(
                "history.retention",
                Duration.class,
                Duration.ofDays(7),
                Parsers::duration,
                Rule.notNegative())
            .described(
                "How long delivered messages and clips are kept, and how far back C_HISTORY"
                    + " reaches; 0: deleted within a minute of delivery.");
    public static final Key<TokenBucket.Rate> LIMIT_CONNECTIONS_PER_ADDRESS =
        rate("limit.connections-per-address", 300, Duration.ofSeconds(10))
            .described("New connections per client address (IPv6: /64); more are closed.");
    public static final Key<Integer> LIMIT_UNAUTHENTICATED_PER_ADDRESS =
        integer("limit.unauthenticated-per-address", 100, 1, 1_000_000)
            .described("Open connections not logged in per client address; more are closed.");
    public static final Key<CidrList> LIMIT_EXEMPT =
        new Definition<>(
                "limit.exempt", CidrList.class, CidrList.LOOPBACK, CidrList::parse, Rule.any())
            .described("Client addresses the per-address connection limits do not apply to.");

    private static final List<Key<?>> ALL_VIEW = Collections.unmodifiableList(ALL);

    private final Definition<T> definition;
    private final String description;

    private Key(Definition<T> definition, String description) {
      this.definition = definition;
      this.description = description;
    }

    /** A setting but for its description, which {@link #described} adds to make it a key. */
    private record Definition<T>(
        String key,
        Class<T> type,
        T defaultValue,
        Function<String, ? extends T> parser,
        Rule<? super T> rule) {

      Key<T> described(String description) {
        Key<T> k = new Key<>(this, description);
        ALL.add(k);
        return k;
      }
    }

    private static Definition<String> text(String key, String defaultValue) {
      return new Definition<>(key, String.class, defaultValue, s -> s, Rule.any());
    }

    private static Definition<Integer> integer(String key, int defaultValue, int min, int max) {
      return new Definition<>(
          key, Integer.class, defaultValue, Parsers::integer, Rule.between(min, max));
    }

    /** Durations must be positive. */
    private static Definition<Duration> duration(String key, Duration defaultValue) {
      return new Definition<>(
          key, Duration.class, defaultValue, Parsers::duration, Rule.positive());
    }

    /** A rate written count/period, such as 30/1m; the count is also the burst. */
    private static Definition<TokenBucket.Rate> rate(String key, long count, Duration per) {
      return new Definition<>(
          key, TokenBucket.Rate.class, TokenBucket.Rate.of(count, per), Parsers::rate, Rule.any());
    }

    private static <E extends Enum<E>> Definition<E> choice(String key, E defaultValue) {
      Class<E> type = defaultValue.getDeclaringClass();
      return new Definition<>(key, type, defaultValue, s -> Parsers.enumValue(type, s), Rule.any());
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
      return definition.key;
    }

    /** The environment variable that sets this key. */
    public String envName() {
      return "IMPS_" + key().toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
    }

    public Class<T> type() {
      return definition.type;
    }

    public T defaultValue() {
      return definition.defaultValue;
    }

    /** One sentence on what the setting does, for docs and generated config files. */
    public String description() {
      return description;
    }

    /** A value as a config file writes it: the key's parser reads it back as the same value. */
    public String text(T value) {
      if (value instanceof Duration d) {
        return Parsers.durationText(d);
      }
      if (value instanceof TokenBucket.Rate r) {
        return Parsers.rateText(r);
      }
      if (value instanceof Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
      }
      return String.valueOf(value);
    }

    /** The default as docs/CONFIGURATION.md writes it: its text form, or {@code empty}. */
    public String defaultText() {
      String text = text(definition.defaultValue);
      return text.isEmpty() ? "empty" : text;
    }

    /** Parses and checks a value written as text; the error names the key and the text. */
    T parse(String text) {
      T value;
      try {
        value = Objects.requireNonNull(definition.parser.apply(text.trim()));
      } catch (RuntimeException e) {
        throw new ConfigException(ConfigException.invalidValue(key(), text, e.getMessage()));
      }
      return check(value, text);
    }

    /** Checks a typed value exactly as {@link #parse} checks a parsed one. */
    T check(T value) {
      if (!type().isInstance(value)) { // only reachable through raw types or null
        throw new ConfigException(
            ConfigException.invalidValue(
                key(), String.valueOf(value), "expected " + type().getSimpleName()));
      }
      return check(value, text(value));
    }

    private T check(T value, String shown) {
      String refusal = definition.rule.refusal(key(), value, shown);
      if (refusal != null) {
        throw new ConfigException(refusal);
      }
      return value;
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
   * password, and passwords inside the PostgreSQL URL and the Redis URI, are masked).
   */
  public Map<String, String> describe() {
    Map<String, String> out = new LinkedHashMap<>();
    for (Key<?> k : Key.all()) {
      String text = textOf(k);
      if (k == Key.POSTGRES_PASSWORD && !text.isEmpty()) {
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
