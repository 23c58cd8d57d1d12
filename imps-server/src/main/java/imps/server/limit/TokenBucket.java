package imps.server.limit;

import java.time.Duration;

/**
 * A token bucket: holds up to {@code burst} tokens and gains them back at a steady {@link Rate};
 * taking fails when too few are left. It keeps no thread and reads no clock: every call is given
 * the time, in milliseconds (from an injected {@link java.time.Clock}, so tests move it). Thread-
 * safe.
 *
 * <p>Kept as one number, the time at which the bucket will be full again (the "theoretical arrival
 * time" of the generic cell rate algorithm), so that it costs a few bytes and never needs a refill
 * task.
 */
public final class TokenBucket {

  /** {@code tokens} gained back every {@code per}; for example 30 a minute. */
  public record Rate(long tokens, Duration per) {
    public Rate {
      if (tokens < 1 || per.isZero() || per.isNegative()) {
        throw new IllegalArgumentException("rate needs tokens >= 1 and a positive period");
      }
    }

    public static Rate of(long tokens, Duration per) {
      return new Rate(tokens, per);
    }

    /** Nanoseconds to gain one token back, at least 1. */
    long nanosPerToken() {
      return Math.max(1, per.toNanos() / tokens);
    }
  }

  private final long nanosPerToken;
  private final long burst;
  // When the bucket is full again, in nanoseconds of the caller's clock; full whenever <= now.
  private long fullAt = Long.MIN_VALUE / 4;

  /**
   * A full bucket.
   *
   * @param burst most tokens held, and so taken at once after a quiet time
   */
  public TokenBucket(Rate rate, long burst) {
    if (burst < 1) {
      throw new IllegalArgumentException("burst must be >= 1");
    }
    this.nanosPerToken = rate.nanosPerToken();
    this.burst = burst;
  }

  /** Takes {@code n} tokens if that many are left at {@code nowMillis}; false takes none. */
  public synchronized boolean tryTake(long n, long nowMillis) {
    long now = nanos(nowMillis);
    long start = Math.max(fullAt, now);
    long after = start + n * nanosPerToken;
    // Left after taking: burst - (after - now) / nanosPerToken, which must not go below zero.
    if (after - now > burst * nanosPerToken) {
      return false;
    }
    fullAt = after;
    return true;
  }

  /** Gives back {@code n} tokens taken earlier (for work that turned out not to count). */
  public synchronized void refund(long n, long nowMillis) {
    long now = nanos(nowMillis);
    fullAt = Math.max(now, fullAt - n * nanosPerToken);
  }

  /** Tokens that could be taken at {@code nowMillis}. */
  public synchronized long available(long nowMillis) {
    long now = nanos(nowMillis);
    long missing = fullAt <= now ? 0 : ceilDiv(fullAt - now, nanosPerToken);
    return Math.max(0, burst - missing);
  }

  /** How long until {@code n} tokens can be taken ({@code ZERO} if now); {@code n <= burst}. */
  public synchronized Duration timeUntil(long n, long nowMillis) {
    long now = nanos(nowMillis);
    long wait = Math.max(fullAt, now) + n * nanosPerToken - now - burst * nanosPerToken;
    return wait <= 0 ? Duration.ZERO : Duration.ofNanos(wait);
  }

  /** Whether the bucket is full at {@code nowMillis}, so that forgetting it changes nothing. */
  public synchronized boolean isFull(long nowMillis) {
    return fullAt <= nanos(nowMillis);
  }

  /** When the bucket is full again, in nanoseconds of the callers' clock (millis x 10^6). */
  synchronized long fullAtNanos() {
    return fullAt;
  }

  /** How long an empty bucket takes to fill: after this long unused, any bucket is full. */
  public Duration timeToFill() {
    return Duration.ofNanos(burst * nanosPerToken);
  }

  private static long nanos(long millis) {
    return millis * 1_000_000L;
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }
}
