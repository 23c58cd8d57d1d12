package imps.server.transport;

import imps.server.config.CidrList;
import imps.server.limit.AddressKeys;
import imps.server.limit.KeyedLimiter;
import imps.server.limit.LimitHits;
import imps.server.limit.TokenBucket;
import io.micrometer.core.instrument.Counter;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Limits per client address (IPv6: per /64) on connections (review finding L1): new connections per
 * period (a token bucket), and connections open at once that have not logged in. Without them one
 * host could take every one of {@code max-connections} by reopening connections that never log in.
 * Addresses in {@code limit.exempt} (loopback by default: a TLS terminator or a benchmark on the
 * same host) are not limited. Addresses an operator banned ({@link AddressBans}) are refused first,
 * exempt or not. Refusals are logged at most once a minute. Thread-safe; shared by every listener.
 */
final class AddressLimits {
  private static final Logger log = LoggerFactory.getLogger(AddressLimits.class);
  private static final long LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

  /** A connection's place under its address's limit of connections not logged in. */
  final class Slot {
    private final String key;
    private boolean held = true; // event loop of the connection only

    private Slot(String key) {
      this.key = key;
    }

    /** The connection logged in or closed: it no longer counts. Idempotent. */
    void release() {
      if (held) {
        held = false;
        unauthenticated.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
      }
    }
  }

  // Replaced on reload (update); the counts of connections not logged in carry over.
  private volatile TokenBucket.Rate newConnectionRate;
  private volatile KeyedLimiter<String> newConnections;
  private volatile int maxUnauthenticated;
  private volatile CidrList exempt;
  private final Clock clock;
  // Heap the new-connection buckets may take (KeyedLimiter: bounded in bytes, and the eviction
  // order). The counts of connections not logged in need no bound of their own: an address has one
  // only while it has such a connection open, and connections are capped (max-connections).
  private final long maxBytes;
  private final AddressBans bans;
  // Connections open and not logged in, per key; a key leaves when its count is 0.
  private final ConcurrentHashMap<String, Integer> unauthenticated = new ConcurrentHashMap<>();
  private final AtomicLong lastRefusalLog = new AtomicLong();
  private static final Counter BANNED = LimitHits.of("banned_address");
  private static final Counter NEW_CONNECTIONS = LimitHits.of("connections_per_address");
  private static final Counter UNAUTHENTICATED = LimitHits.of("unauthenticated_per_address");
  private final AtomicLong lastBannedLog = new AtomicLong();

  AddressLimits(
      TokenBucket.Rate newConnections,
      int maxUnauthenticated,
      CidrList exempt,
      AddressBans bans,
      long maxBytes,
      Clock clock) {
    this.bans = bans;
    this.clock = clock;
    this.maxBytes = maxBytes;
    update(newConnections, maxUnauthenticated, exempt);
  }

  /**
   * Takes new limits (a reload). A changed rate of new connections starts every address over with a
   * full bucket; connections already open are not affected, and the count of those not logged in
   * carries over (a lower maximum refuses new ones until enough have logged in or closed).
   */
  synchronized void update(
      TokenBucket.Rate newConnections, int maxUnauthenticated, CidrList exempt) {
    if (!newConnections.equals(newConnectionRate)) {
      this.newConnections =
          new KeyedLimiter<>(newConnections, newConnections.tokens(), maxBytes, clock);
      this.newConnectionRate = newConnections;
    }
    this.maxUnauthenticated = maxUnauthenticated;
    this.exempt = exempt;
  }

  /**
   * Admits a new connection from {@code address}: its slot (release it at login or close), a slot
   * that holds nothing for an exempt address, or {@code null} when the connection must be closed.
   */
  Slot admit(String address) {
    InetAddress ip = NetUtil.createInetAddressFromIpAddressString(address);
    if (ip != null && bans.contains(ip)) {
      BANNED.increment();
      logBanned(address);
      return null;
    }
    if (ip != null && exempt.contains(ip)) {
      Slot free = new Slot("");
      free.held = false;
      return free;
    }
    String key = AddressKeys.of(address);
    if (!newConnections.tryTake(key)) {
      NEW_CONNECTIONS.increment();
      logRefusal("new connections", key);
      return null;
    }
    boolean[] admitted = {false};
    int maxUnauthenticated = this.maxUnauthenticated;
    unauthenticated.compute(
        key,
        (k, n) -> {
          int now = n == null ? 0 : n;
          if (now >= maxUnauthenticated) {
            return n;
          }
          admitted[0] = true;
          return now + 1;
        });
    if (!admitted[0]) {
      UNAUTHENTICATED.increment();
      logRefusal("connections not logged in", key);
      return null;
    }
    return new Slot(key);
  }

  /** Connections from {@code address}'s key open and not logged in; for tests. */
  int unauthenticated(String address) {
    return unauthenticated.getOrDefault(AddressKeys.of(address), 0);
  }

  private void logBanned(String address) {
    long now = System.nanoTime();
    long last = lastBannedLog.get();
    if ((last == 0 || now - last > LOG_INTERVAL_NANOS) && lastBannedLog.compareAndSet(last, now)) {
      log.info("closed a connection from banned address {} (logged once a minute)", address);
    }
  }

  private void logRefusal(String what, String key) {
    long now = System.nanoTime();
    long last = lastRefusalLog.get();
    if ((last == 0 || now - last > LOG_INTERVAL_NANOS) && lastRefusalLog.compareAndSet(last, now)) {
      log.warn(
          "too many {} from {}: closing its new connections (logged once a minute)", what, key);
    }
  }
}
