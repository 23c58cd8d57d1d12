package imps.server.config;

import static imps.server.config.KeyDefinition.choice;
import static imps.server.config.KeyDefinition.duration;
import static imps.server.config.KeyDefinition.integer;
import static imps.server.config.KeyDefinition.text;

import imps.protocol.Limits;
import imps.server.config.ServerConfig.ClusterKind;
import imps.server.config.ServerConfig.Key;
import imps.server.config.ServerConfig.StoreKind;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;

/**
 * The settings of the server itself (binding, store, cluster, timeouts, sizes, web, TLS), in the
 * order of docs/CONFIGURATION.md. Only {@link ServerConfig.Key} reads these fields: it re-exports
 * each one, and its first read of this class registers the keys in this order (see {@link
 * ServerConfig.Key#all()}). A new key goes at the end of its group here and in {@code Key}.
 */
final class ServerKeys {
  private ServerKeys() {}

  static final Key<String> HOST =
      text("host", ServerConfig.DEFAULT_HOST).described("Address to bind.");
  static final Key<Integer> PORT =
      integer("port", ServerConfig.DEFAULT_PORT, 0, 65535)
          .described("TCP port; 0 picks a free one (the log says which).");
  static final Key<Path> DATA_DIR =
      new KeyDefinition<>(
              "data-dir", Path.class, ServerConfig.DEFAULT_DATA_DIR, Path::of, Rule.any())
          .described("Directory of the SQLite store (imps.db).");
  static final Key<StoreKind> STORE =
      choice("store", StoreKind.SQLITE)
          .described("Which store holds accounts, friendships and messages.");
  static final Key<String> POSTGRES_URL =
      text("postgres.url", "jdbc:postgresql://127.0.0.1:5432/imps")
          .described("PostgreSQL JDBC URL.");
  static final Key<String> POSTGRES_USER =
      text("postgres.user", "postgres").described("PostgreSQL user.");
  static final Key<String> POSTGRES_PASSWORD =
      text("postgres.password", "").described("PostgreSQL password; masked in logs.");
  static final Key<Integer> POSTGRES_POOL_SIZE =
      integer("postgres.pool-size", 16, 1, 1000).described("PostgreSQL read connections.");
  static final Key<Integer> POSTGRES_WRITERS =
      integer("postgres.writers", 4, 1, 64)
          .described("PostgreSQL writer connections; each commits its own batches.");
  static final Key<Duration> POSTGRES_STATEMENT_TIMEOUT =
      duration("postgres.statement-timeout", Duration.ofSeconds(10))
          .described("PostgreSQL cancels a statement running longer (error 11).");
  static final Key<Duration> POSTGRES_SOCKET_TIMEOUT =
      duration("postgres.socket-timeout", Duration.ofSeconds(15))
          .described("Give up on a PostgreSQL reply or connection attempt after this (error 11).");
  static final Key<ClusterKind> CLUSTER =
      choice("cluster", ClusterKind.LOCAL)
          .described("How sessions are found and pushes routed between nodes.");
  static final Key<String> REDIS_URI =
      text("redis.uri", "redis://127.0.0.1:6379").described("Redis of a redis cluster.");
  static final Key<String> NODE_ID =
      text("node-id", "").described("This node's name in a cluster; empty: generated.");
  static final Key<Duration> NODE_TTL =
      duration("node-ttl", Duration.ofSeconds(30))
          .described("How long a dead node's users stay online at most.");
  static final Key<Integer> REDIS_STREAM_MAX_BYTES =
      integer("redis.stream-max-bytes", 64 * 1024 * 1024, 1024 * 1024, Integer.MAX_VALUE)
          .described("Bytes each node's Redis stream holds at most.");
  static final Key<ZoneId> TIME_ZONE =
      new KeyDefinition<>("time-zone", ZoneId.class, ZoneId.of("UTC"), ZoneId::of, Rule.any())
          .described("Zone of server-generated times.");
  static final Key<Duration> IDLE_TIMEOUT =
      duration("idle-timeout", Duration.ofSeconds(Limits.DEFAULT_IDLE_TIMEOUT_SECONDS))
          .described("Close a connection with no frame for this long.");
  static final Key<Duration> LOGIN_TIMEOUT =
      duration("login-timeout", Duration.ofSeconds(Limits.DEFAULT_LOGIN_TIMEOUT_SECONDS))
          .described("Close a connection that has not logged in within this.");
  static final Key<Duration> TCP_USER_TIMEOUT =
      duration("tcp-user-timeout", Duration.ofSeconds(30))
          .described("Drop a connection whose sent data stays unacknowledged this long (epoll).");
  static final Key<Integer> MAX_VIOLATIONS =
      integer("max-violations", Limits.DEFAULT_MAX_VIOLATIONS, 1, 1_000_000)
          .described("Malformed frames tolerated per connection before it is closed.");
  // At most 10000: even if every character is an emoji (6 bytes), S_SEND_MSG must fit a frame.
  static final Key<Integer> MAX_MESSAGE_CHARS =
      integer("max-message-chars", Limits.DEFAULT_MAX_MESSAGE_CHARS, 1, 10_000)
          .described("Longest text message, in characters.");
  // At most 65000: the clip leaves room for the frame's other fields (Limits.MAX_CONTENT_LENGTH).
  static final Key<Integer> MAX_AUDIO_BYTES =
      integer("max-audio-bytes", Limits.DEFAULT_MAX_AUDIO_BYTES, 1, 65_000)
          .described("Largest voice clip, in bytes.");
  static final Key<Integer> MAX_FRIENDS =
      integer("max-friends", Limits.MAX_FRIENDS, 1, Limits.MAX_FRIENDS)
          .described("Friends per user (a friend list must fit one frame).");
  static final Key<Duration> LOCATION_RETENTION =
      duration("location-retention", Duration.ofDays(30))
          .described(
              "How long location history is kept (purged hourly); at most history.retention.");
  static final Key<Duration> LOCATION_LIVE_INTERVAL =
      duration("location.live-interval", Duration.ofSeconds(5))
          .described("At most one live position push (S_LOCATION) per user per this.");
  static final Key<Duration> SESSION_TOKEN_TTL =
      duration("session.token-ttl", Duration.ofDays(30))
          .described("How long a session token for C_RESUME lasts.");
  static final Key<Integer> SESSION_TOKENS_PER_USER =
      integer("session.tokens-per-user", 10, 1, 1000)
          .described("Session tokens a user keeps at most; the oldest are revoked first.");
  static final Key<Duration> LOG_SUMMARY_INTERVAL =
      duration("log.summary-interval", Duration.ofMinutes(1))
          .described("How often the INFO summary of connections and logins is logged.");
  static final Key<String> LOG_LEVEL =
      new KeyDefinition<>(
              "log.level",
              String.class,
              "",
              s -> s.trim().toLowerCase(java.util.Locale.ROOT),
              Rule.oneOf(java.util.List.of("", "error", "warn", "info", "debug", "trace")))
          .described(
              "Level of the server's own logs (logger imps); empty: as IMPS_LOG_LEVEL or INFO."
                  + " Changes live on reload.");
  static final Key<Integer> IO_THREADS =
      integer("io-threads", 0, 0, 1024)
          .described("Netty event-loop threads; 0 means one per core.");
  static final Key<Integer> WORKER_THREADS =
      integer("worker-threads", 64, 1, 4096)
          .described("Threads for work that waits (store reads, Redis); never the event loops.");
  static final Key<Integer> WORKER_QUEUE =
      integer("worker-queue", 10_000, 1, 10_000_000)
          .described("Tasks waiting for a worker thread before new requests get error 10.");
  static final Key<Integer> MAX_PENDING_REQUESTS =
      integer("max-pending-requests", 256, 1, 1_000_000)
          .described("Requests queued per connection before the server stops reading from it.");
  static final Key<Integer> MAX_PENDING_BYTES =
      integer("max-pending-bytes", 1024 * 1024, 4096, 1 << 30)
          .described(
              "Wire bytes of requests queued per connection before the server stops reading.");
  static final Key<Integer> MAX_FIXES_PER_HEARTBEAT =
      integer("max-fixes-per-heartbeat", 256, 1, 16_384)
          .described("Location fixes one heartbeat may carry; more get error 10.");
  static final Key<Integer> MAX_CONNECTIONS =
      integer("max-connections", 100_000, 1, 100_000_000)
          .described("Open connections at most; more are closed at once.");
  static final Key<Integer> PASSWORD_MEMORY_KIB =
      integer("password.memory-kib", 19 * 1024, 8, 4 * 1024 * 1024)
          .described("Argon2id memory cost in KiB.");
  static final Key<Integer> PASSWORD_ITERATIONS =
      integer("password.iterations", 2, 1, 100).described("Argon2id time cost.");
  static final Key<String> SQLITE_SYNCHRONOUS =
      new KeyDefinition<>(
              "sqlite.synchronous",
              String.class,
              "FULL",
              s -> s.toUpperCase(Locale.ROOT),
              Rule.oneOf(List.of("OFF", "NORMAL", "FULL", "EXTRA")))
          .described("SQLite synchronous pragma: FULL survives power loss, NORMAL a crash only.");
  static final Key<Integer> WRITE_BATCH_MAX =
      integer("write-batch-max", 512, 1, 100_000)
          .described("Most writes committed together in one group commit.");
  static final Key<Duration> WRITE_BATCH_DELAY =
      new KeyDefinition<>(
              "write-batch-delay",
              Duration.class,
              Duration.ofMillis(1),
              Parsers::duration,
              Rule.atMost(Duration.ofSeconds(1)))
          .described(
              "While the store is busy, how long a message waits for others to share its commit.");
  static final Key<Integer> ADMIN_PORT =
      integer("admin.port", -1, -1, 65535)
          .described("HTTP port of the health endpoint; -1 off, 0 any free port.");
  static final Key<String> ADMIN_HOST =
      text("admin.host", "127.0.0.1").described("Address of the health endpoint.");
  static final Key<Boolean> PROXY_PROTOCOL =
      new KeyDefinition<>("proxy-protocol", Boolean.class, false, Parsers::bool, Rule.any())
          .described("Read a PROXY protocol header first, for client addresses behind a proxy.");
  static final Key<Boolean> WEB_ENABLED =
      new KeyDefinition<>("web.enabled", Boolean.class, true, Parsers::bool, Rule.any())
          .described("Serve the web client and WebSocket connections on web.port.");
  static final Key<String> WEB_HOST =
      text("web.host", "").described("Address of the web port; empty: the same as host.");
  static final Key<Integer> WEB_PORT =
      integer("web.port", ServerConfig.DEFAULT_WEB_PORT, 0, 65535)
          .described("HTTP port of the web client (static files, WebSockets on /ws).");
  static final Key<String> WEB_TILE_URL =
      new KeyDefinition<>("web.tile-url", String.class, "", Parsers::tileUrl, Rule.any())
          .described("Map tiles for the web client; empty: the offline basemap.");
  static final Key<String> WEB_TILE_ATTRIBUTION =
      text("web.tile-attribution", "").described("The tiles' attribution shown on the map.");
  static final Key<Boolean> WEB_FORWARDED_FOR =
      new KeyDefinition<>("web.forwarded-for", Boolean.class, false, Parsers::bool, Rule.any())
          .described("Take a WebSocket client's address from X-Forwarded-For (behind a proxy).");

  static final Key<CidrList> PROXY_PROTOCOL_TRUSTED =
      new KeyDefinition<>(
              "proxy-protocol.trusted",
              CidrList.class,
              CidrList.LOOPBACK,
              CidrList::parse,
              Rule.any())
          .described(
              "Peers (CIDRs, comma-separated) allowed to send a PROXY header; others are closed.");
  static final Key<Integer> TLS_PORT =
      integer("tls.port", ServerConfig.DEFAULT_TLS_PORT, 0, 65535)
          .described("TLS port, open when tls.cert-file and tls.key-file are set; 0 picks one.");
  static final Key<String> TLS_CERT_FILE =
      text("tls.cert-file", "")
          .described("PEM certificate chain, the server's own first; empty means no TLS.");
  static final Key<String> TLS_KEY_FILE =
      text("tls.key-file", "")
          .described("PEM private key of that certificate (PKCS#8, PKCS#1 or EC, unencrypted).");
  static final Key<Boolean> TLS_REQUIRED =
      new KeyDefinition<>("tls.required", Boolean.class, false, Parsers::bool, Rule.any())
          .described("Serve TLS only: the plain port is not opened.");
  static final Key<Duration> TLS_RELOAD_CHECK =
      duration("tls.reload-check", Duration.ofSeconds(5))
          .described("How often the certificate and key files are checked for a change.");
  static final Key<Duration> DRAIN_TIMEOUT =
      duration("drain-timeout", Duration.ofSeconds(30))
          .described(
              "On shutdown, how long connections get to answer what they sent before closing.");
  static final Key<String> ADMIN_TOKEN =
      text("admin.token", "")
          .described("Bearer token of the admin API; empty: generated into data-dir/admin.token.");
}
