package imps.client;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Automatic reconnection after the connection of a logged-in client drops: exponential backoff with
 * jitter, then a new login with the same credentials and the status last chosen with {@link
 * ImpsClient#setStatus(Presence)}.
 *
 * <p>The delay before attempt {@code n} (0-based) is {@code min(maxDelay, initialDelay *
 * multiplier^n)}, reduced by a random fraction of up to {@code jitter}, so that many clients cut
 * off by the same server restart do not all come back in the same instant.
 *
 * @param enabled whether to reconnect at all
 * @param initialDelay delay before the first attempt; positive
 * @param maxDelay cap of the delay; at least {@code initialDelay}
 * @param multiplier growth per attempt; at least 1
 * @param jitter fraction in [0, 1] by which a delay is randomly shortened
 * @param maxAttempts attempts before giving up; 0 means no limit
 */
public record ReconnectPolicy(
    boolean enabled,
    Duration initialDelay,
    Duration maxDelay,
    double multiplier,
    double jitter,
    int maxAttempts) {

  /** No automatic reconnection (the default). */
  public static final ReconnectPolicy DISABLED =
      new ReconnectPolicy(false, Duration.ofMillis(500), Duration.ofSeconds(30), 2.0, 0.5, 0);

  public ReconnectPolicy {
    Objects.requireNonNull(initialDelay, "initialDelay");
    Objects.requireNonNull(maxDelay, "maxDelay");
    if (initialDelay.isNegative() || initialDelay.isZero()) {
      throw new IllegalArgumentException("initialDelay must be positive");
    }
    if (maxDelay.compareTo(initialDelay) < 0) {
      throw new IllegalArgumentException("maxDelay must be >= initialDelay");
    }
    if (!(multiplier >= 1.0)) {
      throw new IllegalArgumentException("multiplier must be >= 1");
    }
    if (!(jitter >= 0.0 && jitter <= 1.0)) {
      throw new IllegalArgumentException("jitter must be in [0, 1]");
    }
    if (maxAttempts < 0) {
      throw new IllegalArgumentException("maxAttempts must be >= 0");
    }
  }

  /** Reconnect without limit: 500 ms, doubling up to 30 s, up to 50 % jitter. */
  public static ReconnectPolicy exponential() {
    return new ReconnectPolicy(true, Duration.ofMillis(500), Duration.ofSeconds(30), 2.0, 0.5, 0);
  }

  /** Reconnect with the given first and largest delay, doubling, up to 50 % jitter. */
  public static ReconnectPolicy exponential(Duration initialDelay, Duration maxDelay) {
    return new ReconnectPolicy(true, initialDelay, maxDelay, 2.0, 0.5, 0);
  }

  /** The delay before attempt {@code attempt} (0-based), jitter applied. */
  public Duration delay(int attempt) {
    double base = initialDelay.toNanos() * Math.pow(multiplier, Math.min(attempt, 62));
    double capped = Math.min(base, (double) maxDelay.toNanos());
    double jittered = capped * (1.0 - jitter * ThreadLocalRandom.current().nextDouble());
    return Duration.ofNanos(Math.max(1L, (long) jittered));
  }
}
