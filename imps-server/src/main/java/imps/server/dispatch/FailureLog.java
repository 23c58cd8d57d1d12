package imps.server.dispatch;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;

/**
 * Logs storage failures at a limited rate. While the database or Redis is down every request fails
 * alike, and an ERROR with a stack trace for each would bury everything else: the first failure of
 * a kind (its innermost cause's class) is logged with its stack trace, and then at most one per
 * {@code interval}, saying how many like it were not logged since. Thread-safe.
 */
final class FailureLog {
  private final Logger log;
  private final Clock clock;
  private final Duration interval;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  /** Of one kind: when its last line was logged and how many were not logged since. */
  private static final class Window {
    long loggedAt;
    long notLogged;
  }

  FailureLog(Logger log, Clock clock, Duration interval) {
    this.log = log;
    this.clock = clock;
    this.interval = interval;
  }

  /** A request ({@code what}) failed with the storage failure {@code e}. */
  void failed(String what, Throwable e) {
    long now = clock.millis();
    Window w = windows.computeIfAbsent(kind(e), k -> new Window());
    long notLogged;
    long since;
    synchronized (w) {
      boolean first = w.loggedAt == 0 && w.notLogged == 0;
      if (!first && now - w.loggedAt < interval.toMillis()) {
        w.notLogged++;
        return;
      }
      notLogged = w.notLogged;
      since = now - w.loggedAt;
      w.loggedAt = now;
      w.notLogged = 0;
    }
    if (notLogged == 0) {
      log.error("storage failed for {}", what, e);
    } else {
      log.error(
          "storage failed for {} ({} more like it in the last {} s, not logged)",
          what,
          notLogged,
          since / 1000,
          e);
    }
  }

  /** The class of the innermost cause. */
  private static String kind(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getClass().getName();
  }
}
