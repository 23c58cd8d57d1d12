package imps.server;

import imps.server.config.ServerConfig;
import imps.server.location.LocationService;
import imps.server.store.Store;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store purges the housekeeping thread runs: old location fixes, expired friend requests and
 * delivered messages. A failed purge is logged and retried at the next run; none throws.
 */
final class Purges {
  private static final Logger log = LoggerFactory.getLogger(Purges.class);

  private final ServerConfig config;
  private final Store store;

  Purges(ServerConfig config, Store store) {
    this.config = config;
    this.store = store;
  }

  /**
   * Deletes location fixes older than {@code location-retention} or {@code history.retention},
   * whichever is shorter (fixes are tracks); hourly.
   */
  void locations(LocationService locations) {
    try {
      int n = locations.purge();
      if (n > 0) {
        log.info("purged {} location fixes older than {}", n, locations.retention());
      }
    } catch (RuntimeException e) {
      log.warn("location purge failed", e);
    }
  }

  /**
   * Deletes unanswered friend requests past {@code friend-requests.expiry} and delivered outcomes;
   * hourly.
   */
  void friends(Clock clock) {
    try {
      Duration expiry = config.get(ServerConfig.Key.FRIEND_REQUESTS_EXPIRY);
      int n = store.friends().purge(clock.instant().minus(expiry));
      if (n > 0) {
        log.info("purged {} expired friend requests and delivered outcomes", n);
      }
    } catch (RuntimeException e) {
      log.warn("friend request purge failed: {}", e.toString());
    }
  }

  /**
   * Deletes delivered messages and clips older than {@code history.retention} (every minute). Rows
   * a resend or a read receipt may still need lose only their bodies, and go after {@code
   * session.token-ttl}.
   */
  void messages(Clock clock) {
    try {
      java.time.Instant now = clock.instant();
      int n =
          store
              .messages()
              .purgeDelivered(
                  now.minus(config.get(ServerConfig.Key.HISTORY_RETENTION)),
                  now.minus(config.get(ServerConfig.Key.SESSION_TOKEN_TTL)));
      if (n > 0) {
        log.debug("purged {} delivered messages", n);
        store.reclaimSpace();
      }
    } catch (RuntimeException e) {
      log.warn("message purge failed: {}", e.toString());
    }
  }
}
