package imps.server.limit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;

/**
 * One {@link TokenBucket} per key (a client address, a user), created full on first use. Bounded: a
 * bucket unused for as long as it takes to fill is forgotten (it would be full anyway, so this
 * changes no answer), and at most {@code maxKeys} are kept (past that the least useful are
 * forgotten, which only errs towards letting a key through). Thread-safe; never blocks.
 *
 * @param <K> the key type
 */
public final class KeyedLimiter<K> {
  private final TokenBucket.Rate rate;
  private final long burst;
  private final Clock clock;
  private final Cache<K, TokenBucket> buckets;

  /**
   * @param burst tokens a key may take at once after a quiet time
   * @param maxKeys keys remembered at most
   */
  public KeyedLimiter(TokenBucket.Rate rate, long burst, long maxKeys, Clock clock) {
    this.rate = rate;
    this.burst = burst;
    this.clock = clock;
    Duration idle = new TokenBucket(rate, burst).timeToFill();
    this.buckets =
        Caffeine.newBuilder()
            .maximumSize(maxKeys)
            .expireAfterAccess(idle)
            .ticker(ticker(clock))
            .executor(Runnable::run)
            .build();
  }

  /** Takes one token for {@code key}; false when it has none left (nothing is taken then). */
  public boolean tryTake(K key) {
    return tryTake(key, 1);
  }

  /** Takes {@code n} tokens for {@code key}; false when fewer are left (nothing is taken then). */
  public boolean tryTake(K key, long n) {
    return buckets.get(key, k -> new TokenBucket(rate, burst)).tryTake(n, clock.millis());
  }

  /** Gives back {@code n} tokens taken for {@code key} (work that turned out not to count). */
  public void refund(K key, long n) {
    TokenBucket b = buckets.getIfPresent(key);
    if (b != null) {
      b.refund(n, clock.millis());
    }
  }

  /** Tokens {@code key} could take now. */
  public long available(K key) {
    TokenBucket b = buckets.getIfPresent(key);
    return b == null ? burst : b.available(clock.millis());
  }

  /** How long until {@code key} can take {@code n} tokens ({@code ZERO} if now). */
  public Duration timeUntil(K key, long n) {
    TokenBucket b = buckets.getIfPresent(key);
    return b == null ? Duration.ZERO : b.timeUntil(n, clock.millis());
  }

  /** Keys remembered now (approximate); for tests and metrics. */
  public long size() {
    buckets.cleanUp();
    return buckets.estimatedSize();
  }

  /** Drops what has expired now rather than on some later use. */
  public void cleanUp() {
    buckets.cleanUp();
  }

  /** A Caffeine ticker that reads {@code clock}, so that a test clock also moves expiry. */
  public static Ticker ticker(Clock clock) {
    return () -> clock.millis() * 1_000_000L;
  }
}
