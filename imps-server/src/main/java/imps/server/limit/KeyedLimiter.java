package imps.server.limit;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;

/**
 * One {@link TokenBucket} per key (a client address, a user), created full on first use. Bounded in
 * time and in bytes ({@link BoundedState}): a bucket is forgotten once it is full again (which
 * changes no answer), and the buckets kept take at most {@code maxBytes} of heap ({@link
 * StateBytes} per entry), however many keys a client sprays. Past that the buckets nearest to full
 * are forgotten first, so the key drained furthest, an attacker's own, is forgotten last
 * (BoundedState says why that order). Thread-safe; never blocks.
 *
 * @param <K> the key type
 */
public final class KeyedLimiter<K> {
  private final TokenBucket.Rate rate;
  private final long burst;
  private final Clock clock;
  private final BoundedState<K, TokenBucket> buckets;

  /** Heap of one bucket: its header and three longs. */
  static final int BUCKET_BYTES = 40;

  /**
   * @param burst tokens a key may take at once after a quiet time
   * @param maxBytes heap the remembered buckets may take, with their keys
   */
  public KeyedLimiter(TokenBucket.Rate rate, long burst, long maxBytes, Clock clock) {
    this.rate = rate;
    this.burst = burst;
    this.clock = clock;
    this.buckets =
        new BoundedState<>(
            maxBytes,
            KeyedLimiter::entryBytes,
            TokenBucket::fullAtNanos,
            () -> clock.millis() * 1_000_000L);
  }

  /** Takes one token for {@code key}; false when it has none left (nothing is taken then). */
  public boolean tryTake(K key) {
    return tryTake(key, 1);
  }

  /** Takes {@code n} tokens for {@code key}; false when fewer are left (nothing is taken then). */
  public boolean tryTake(K key, long n) {
    return buckets.apply(key, k -> new TokenBucket(rate, burst), b -> b.tryTake(n, clock.millis()));
  }

  /** Gives back {@code n} tokens taken for {@code key} (work that turned out not to count). */
  public void refund(K key, long n) {
    TokenBucket b = buckets.get(key);
    if (b != null) {
      b.refund(n, clock.millis()); // lost if the bucket is dropped meanwhile: it was nearly full
    }
  }

  /** Tokens {@code key} could take now. */
  public long available(K key) {
    TokenBucket b = buckets.get(key);
    return b == null ? burst : b.available(clock.millis());
  }

  /** How long until {@code key} can take {@code n} tokens ({@code ZERO} if now). */
  public Duration timeUntil(K key, long n) {
    TokenBucket b = buckets.get(key);
    return b == null ? Duration.ZERO : b.timeUntil(n, clock.millis());
  }

  /** Heap of one remembered key and its bucket, as the budget counts it. */
  static int entryBytes(Object key, TokenBucket bucket) {
    return StateBytes.ENTRY_OVERHEAD + StateBytes.key(key) + BUCKET_BYTES;
  }

  /** Heap the remembered buckets take now, as the budget counts it; for tests and metrics. */
  public long weightedSize() {
    return buckets.weightedSize();
  }

  /** Keys remembered now (approximate); for tests and metrics. */
  public long size() {
    buckets.cleanUp();
    return buckets.size();
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
