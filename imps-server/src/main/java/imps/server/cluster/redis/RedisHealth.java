package imps.server.cluster.redis;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this node reaches Redis, as its parts last found: the first fault is logged at ERROR,
 * later ones at DEBUG until the keep-alive finds Redis again. Once the router is closed, faults (of
 * its own shutdown) are not reported. Thread-safe.
 */
final class RedisHealth {
  private static final Logger log = LoggerFactory.getLogger(RedisHealth.class);

  private volatile boolean healthy = true;
  private volatile boolean closed;

  boolean isHealthy() {
    return healthy;
  }

  /** A Redis command failed or timed out while doing {@code what}. */
  void fault(String what, Throwable e) {
    if (closed) {
      return;
    }
    if (healthy) {
      log.error(
          "Redis fault while {}: {}; serving local users only until it is back",
          what,
          e.toString());
    } else {
      log.debug("Redis still unavailable while {}: {}", what, e.toString());
    }
    healthy = false;
  }

  /** Redis answered again: returns true if it had failed before (the caller then recovers). */
  boolean recovered() {
    if (healthy) {
      return false;
    }
    healthy = true;
    return true;
  }

  boolean isClosed() {
    return closed;
  }

  /** Marks the router closed; returns false if it was already. */
  synchronized boolean close() {
    if (closed) {
      return false;
    }
    closed = true;
    return true;
  }
}
