package imps.server.limit;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * At most one log line per interval for a kind of event that a client or a fault can repeat at will
 * (a store failure per request, say), so that it cannot fill the log volume too; the line that is
 * logged says how many were left out. Reads {@link System#nanoTime}. Thread-safe.
 */
public final class LogThrottle {
  private final long intervalNanos;
  private final AtomicLong last = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private volatile boolean started;

  public LogThrottle(Duration interval) {
    this.intervalNanos = interval.toNanos();
  }

  /**
   * Whether to log this event: {@code -1} means no (it is counted); otherwise the number of events
   * left out since the last one logged.
   */
  public long admit() {
    long now = System.nanoTime();
    long prev = last.get();
    if ((!started || now - prev >= intervalNanos) && last.compareAndSet(prev, now)) {
      started = true;
      return skipped.getAndSet(0);
    }
    skipped.incrementAndGet();
    return -1;
  }
}
