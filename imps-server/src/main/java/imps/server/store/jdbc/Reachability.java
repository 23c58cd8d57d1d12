package imps.server.store.jdbc;

import imps.server.store.StoreException;
import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A circuit breaker for a database over the network (review finding M6). Once a read or a write
 * found the database unreachable (a connection lost, a reply or a connection attempt timed out),
 * requests fail at once with a {@link StoreException} (error 11, not applied) instead of each
 * waiting out a socket timeout of its own: with requests answered one after another per connection,
 * 20 of them would otherwise take 20 timeouts. Every {@code retryNanos} one request goes through as
 * a probe; its success closes the breaker.
 */
final class Reachability {
  private static final Logger log = LoggerFactory.getLogger(Reachability.class);

  private final String name;
  private final long retryNanos;
  private final AtomicBoolean probing = new AtomicBoolean();
  private volatile boolean down;
  private volatile long retryAt;

  Reachability(String name, long retryNanos) {
    this.name = name;
    this.retryNanos = retryNanos;
  }

  /**
   * Before a request: returns whether it is the probe (then {@link #probeDone} must follow), or
   * fails it at once while the database is down.
   */
  boolean admit() {
    if (!down) {
      return false;
    }
    if (System.nanoTime() - retryAt >= 0 && probing.compareAndSet(false, true)) {
      return true;
    }
    throw new StoreException("database " + name + " is unreachable; not applied", null);
  }

  /** After a request (the probe or any other): what its outcome says about the database. */
  void observe(boolean probe, Throwable failure) {
    if (failure == null) {
      if (down) {
        down = false;
        log.warn("database {} is reachable again", name);
      }
    } else if (isUnreachable(failure)) {
      retryAt = System.nanoTime() + retryNanos;
      if (!down) {
        down = true;
        log.error("database {} is unreachable: failing requests at once until it answers", name);
      }
    }
    if (probe) {
      probing.set(false);
    }
  }

  boolean isDown() {
    return down;
  }

  /** A lost connection or a timeout, anywhere in the chain: the database did not answer. */
  static boolean isUnreachable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientConnectionException
          || t instanceof SQLRecoverableException
          || t instanceof IOException) {
        return true;
      }
      if (t instanceof SQLException se && se.getSQLState() != null) {
        String state = se.getSQLState();
        if (state.startsWith("08") || state.startsWith("57P0")) {
          return true;
        }
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
