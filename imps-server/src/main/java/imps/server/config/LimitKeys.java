package imps.server.config;

import static imps.server.config.KeyDefinition.duration;
import static imps.server.config.KeyDefinition.integer;
import static imps.server.config.KeyDefinition.rate;

import imps.server.config.ServerConfig.Key;
import imps.server.limit.TokenBucket;
import java.time.Duration;

/**
 * The limits (password hashing, logins, registrations, rates, output, quotas, retention), listed
 * under "Limits" in docs/CONFIGURATION.md with the anchors' defaults, after the {@link ServerKeys}.
 * Only {@link ServerConfig.Key} reads these fields, as for {@link ServerKeys}.
 */
final class LimitKeys {
  private LimitKeys() {}

  static final Key<Integer> PASSWORD_HEAP_PERCENT =
      integer("password.heap-percent", 25, 1, 90)
          .described(
              "Share of the heap, in percent, that password hashes running at once may use.");
  static final Key<Integer> PASSWORD_QUEUE =
      integer("password.queue", 256, 1, 1_000_000)
          .described("Password hashes waiting for a hashing thread before new ones get error 10.");
  static final Key<Duration> PASSWORD_CACHE_TTL =
      duration("password.cache-ttl", Duration.ofHours(24))
          .described("How long a verified password is remembered in memory for fast logins.");
  static final Key<Integer> LOGIN_FAILURES_PER_USER =
      integer("login.failures-per-user", 5, 1, 1_000_000)
          .described("Failed logins for one account before its further attempts are delayed.");
  static final Key<Duration> LOGIN_DELAY =
      duration("login.delay", Duration.ofSeconds(1))
          .described("The first delay of an account's attempts; it doubles with each failure.");
  static final Key<Duration> LOGIN_DELAY_MAX =
      duration("login.delay-max", Duration.ofMinutes(10))
          .described("The longest delay of an account's attempts.");
  static final Key<Integer> LOGIN_FAILURES_PER_ADDRESS =
      integer("login.failures-per-address", 20, 1, 1_000_000)
          .described("Failed logins per client address (IPv6: per /64) per window; then error 10.");
  static final Key<Duration> LOGIN_FAILURE_WINDOW =
      duration("login.failure-window", Duration.ofMinutes(10))
          .described("Window of the per-address failures; also how long an account's are kept.");
  static final Key<Integer> REGISTRATIONS_PER_ADDRESS =
      integer("register.per-address", 1, 1, 1_000_000)
          .described("Registrations per client address (IPv6: per /64) per window; then error 10.");
  static final Key<Duration> REGISTRATION_WINDOW =
      duration("register.window", Duration.ofMinutes(10))
          .described("The window in which registrations per address are counted.");
  static final Key<Integer> REGISTRATIONS_PER_MINUTE =
      integer("register.per-minute", 60, 1, 1_000_000)
          .described("Registrations per minute from all addresses together; then error 10.");
  static final Key<TokenBucket.Rate> LIMIT_REQUESTS =
      rate("limit.requests", 200, Duration.ofSeconds(1))
          .described("Requests per connection (any command), as count/period; then error 10.");
  static final Key<TokenBucket.Rate> LIMIT_MESSAGES =
      rate("limit.messages", 600, Duration.ofSeconds(10))
          .described("Text messages a user may send, as count/period; then error 10.");
  static final Key<TokenBucket.Rate> LIMIT_CLIPS =
      rate("limit.clips", 30, Duration.ofMinutes(1))
          .described("Voice clips a user may send, as count/period; then error 10.");
  static final Key<TokenBucket.Rate> LIMIT_STATUS =
      rate("limit.status", 30, Duration.ofMinutes(1))
          .described("Status changes (online, invisible) of a user; then error 10.");
  static final Key<TokenBucket.Rate> LIMIT_FRIEND_REQUESTS =
      rate("limit.friend-requests", 50, Duration.ofHours(1))
          .described("Friend requests a user may send, as count/period; then error 10.");
  static final Key<TokenBucket.Rate> LIMIT_FRIEND_LISTS =
      rate("limit.friend-lists", 30, Duration.ofMinutes(1))
          .described("Friend-list requests of a user, as count/period; then error 10.");
  static final Key<TokenBucket.Rate> LIMIT_FIXES =
      rate("limit.fixes", 3600, Duration.ofHours(1))
          .described("Location fixes a user may store, as count/period; then error 10.");
  static final Key<TokenBucket.Rate> LIMIT_UNKNOWN_NAMES =
      rate("limit.unknown-names", 20, Duration.ofMinutes(10))
          .described("Look-ups of names that turn out unknown, per user; then error 10.");
  static final Key<TokenBucket.Rate> LIMIT_LOGINS =
      rate("limit.logins", 30, Duration.ofMinutes(1))
          .described("Logins of one user (right password or token), as count/period; error 10.");
  static final Key<Integer> OUTPUT_MAX_BYTES_PER_CONNECTION =
      integer("output.max-bytes-per-connection", 2 * 1024 * 1024, 1_200_000, 1 << 30)
          .described("Bytes waiting to be written to one client before it is disconnected.");
  static final Key<Integer> OUTPUT_BUDGET_BYTES =
      integer("output.budget-bytes", 0, 0, Integer.MAX_VALUE)
          .described("Bytes waiting for all clients together; 0: a quarter of direct memory.");
  static final Key<Integer> FRIEND_REQUESTS_PENDING_PER_SENDER =
      integer("friend-requests.pending-per-sender", 100, 1, 1_000_000)
          .described("Friend requests one user may have pending at once; then error 10.");
  static final Key<Integer> FRIEND_REQUESTS_PENDING_PER_RECIPIENT =
      integer("friend-requests.pending-per-recipient", 100, 1, 1_000_000)
          .described("Friend requests that may wait for one user at once; then error 10.");
  static final Key<Duration> FRIEND_REQUESTS_EXPIRY =
      duration("friend-requests.expiry", Duration.ofDays(30))
          .described("How long an unanswered friend request is kept (purged hourly).");
  static final Key<Integer> QUOTA_UNDELIVERED_ITEMS =
      integer("quota.undelivered-items", 5000, 1, 100_000_000)
          .described("Undelivered messages and clips one user may have waiting; then error 10.");
  static final Key<Integer> QUOTA_UNDELIVERED_BYTES =
      integer("quota.undelivered-bytes", 50 * 1024 * 1024, 65_536, Integer.MAX_VALUE)
          .described("Bytes of undelivered messages one user may have waiting; then error 10.");
  static final Key<Duration> HISTORY_RETENTION =
      new KeyDefinition<>(
              "history.retention",
              Duration.class,
              Duration.ofDays(7),
              Parsers::duration,
              Rule.notNegative())
          .described(
              "How long delivered messages and clips (and location fixes) are kept, and how far"
                  + " back C_HISTORY and C_TRACK reach; 0: deleted within a minute of delivery.");
  static final Key<TokenBucket.Rate> LIMIT_CONNECTIONS_PER_ADDRESS =
      rate("limit.connections-per-address", 300, Duration.ofSeconds(10))
          .described("New connections per client address (IPv6: /64); more are closed.");
  static final Key<Integer> LIMIT_UNAUTHENTICATED_PER_ADDRESS =
      integer("limit.unauthenticated-per-address", 100, 1, 1_000_000)
          .described("Open connections not logged in per client address; more are closed.");
  static final Key<CidrList> LIMIT_EXEMPT =
      new KeyDefinition<>(
              "limit.exempt", CidrList.class, CidrList.LOOPBACK, CidrList::parse, Rule.any())
          .described("Client addresses the per-address connection limits do not apply to.");
}
