package imps.bench;

/**
 * Open-loop schedule: the k-th operation (k from 0) is intended at {@code start + k / rate}, no
 * matter how late earlier ones went out. Latency measured from the intended time therefore includes
 * any time the load generator itself fell behind (no coordinated omission).
 */
public final class RatePacer {
  private final long startNanos;
  private final double intervalNanos;
  private final long total;

  /**
   * @param startNanos {@link System#nanoTime()} of the first operation
   * @param ratePerSecond operations per second, > 0
   * @param total the number of operations in the run (the bound of every loop over it)
   */
  public RatePacer(long startNanos, double ratePerSecond, long total) {
    if (!(ratePerSecond > 0)) {
      throw new IllegalArgumentException("rate must be positive: " + ratePerSecond);
    }
    if (total < 0) {
      throw new IllegalArgumentException("total must be >= 0: " + total);
    }
    this.startNanos = startNanos;
    this.intervalNanos = 1e9 / ratePerSecond;
    this.total = total;
  }

  /** The operation count for a rate held for a duration. */
  public static long totalFor(double ratePerSecond, double seconds) {
    return Math.max(0, Math.round(ratePerSecond * seconds));
  }

  public long total() {
    return total;
  }

  /** When operation {@code k} is intended to start. */
  public long intendedNanos(long k) {
    return startNanos + (long) (k * intervalNanos);
  }

  /** How many operations (0..total) are due at {@code nowNanos}: those intended at or before it. */
  public long dueAt(long nowNanos) {
    if (nowNanos < startNanos) {
      return 0;
    }
    long due = (long) Math.floor((nowNanos - startNanos) / intervalNanos) + 1;
    return Math.min(total, due);
  }

  /** The end of the schedule: the intended time of the last operation plus one interval. */
  public long endNanos() {
    return startNanos + (long) (total * intervalNanos);
  }
}
