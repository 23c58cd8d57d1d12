package imps.server.limit;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.ToIntBiFunction;
import java.util.function.ToLongFunction;

/**
 * State a limiter remembers per key (a bucket per address or user, an account's failures), bounded
 * in bytes of heap and in time. Each value says when it stops mattering ({@code expiresAt}: a
 * bucket once it is full again, an account's failures once they are forgotten); from then on it
 * counts as absent and is dropped. When the entries take more than {@code maxBytes}, the ones that
 * expire soonest are dropped first, down to seven eighths of the budget.
 *
 * <p>Why that order (issue 11): a limiter's entry is a debt, and dropping it forgives the debt,
 * since the key starts over as if new. The entry that expires soonest is the smallest debt (a
 * bucket nearly full again), so eviction gives away as little as it can, and the key a client
 * drained furthest, the attacker's own, goes last. To have it dropped, an attacker must first fill
 * the whole budget with entries that owe more than it (buckets drained further, each costing a
 * burst of requests), before its own refills: many times the cost of what dropping it gains. A
 * flood of keys used once owes almost nothing and only evicts its own kind. An order by recent use
 * or frequency does not have this property: an attacker's drained key, left idle while it sprays
 * fresh keys, ages out of an LRU list and out of a frequency sketch alike (LoginThrottleTest showed
 * this with Caffeine's W-TinyLFU).
 *
 * <p>Thread-safe. Reads and updates never block on the sweep; the sweep runs on the thread whose
 * insert passed the budget, one at a time, in time linear in the entries (amortized over the eighth
 * of the budget it frees). Values that change in place are used through {@link #apply}, which never
 * acts on an entry the sweep has just dropped.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class BoundedState<K, V> {

  private static final class Entry<V> {
    V value;
    final int bytes;
    boolean dropped; // guarded by the entry's monitor

    Entry(V value, int bytes) {
      this.value = value;
      this.bytes = bytes;
    }
  }

  private final Map<K, Entry<V>> map = new ConcurrentHashMap<>();
  private final AtomicLong bytes = new AtomicLong();
  private final long maxBytes;
  private final ToIntBiFunction<K, V> weigher;
  private final ToLongFunction<V> expiresAt;
  private final LongSupplier now;
  private final ReentrantLock sweeping = new ReentrantLock();

  /**
   * @param maxBytes heap the entries may take, as {@code weigher} counts it
   * @param weigher heap of one entry: key, value and the map's node ({@link StateBytes})
   * @param expiresAt when a value stops mattering, on the scale of {@code now}
   * @param now the current time (a test clock moves it)
   */
  public BoundedState(
      long maxBytes, ToIntBiFunction<K, V> weigher, ToLongFunction<V> expiresAt, LongSupplier now) {
    this.maxBytes = maxBytes;
    this.weigher = weigher;
    this.expiresAt = expiresAt;
    this.now = now;
  }

  /** The value of {@code key}, or null when it has none or it has expired. */
  public V get(K key) {
    Entry<V> e = map.get(key);
    if (e == null) {
      return null;
    }
    synchronized (e) {
      return e.dropped || expiresAt.applyAsLong(e.value) <= now.getAsLong() ? null : e.value;
    }
  }

  /**
   * Applies {@code action} to the value of {@code key}, made by {@code create} when it has none (or
   * an expired one), holding the entry so that the sweep cannot drop it meanwhile.
   */
  public <R> R apply(K key, Function<K, V> create, Function<V, R> action) {
    while (true) {
      boolean[] added = {false};
      Entry<V> e = map.get(key);
      if (e == null) {
        e =
            map.computeIfAbsent(
                key,
                k -> {
                  V v = create.apply(k);
                  added[0] = true;
                  return new Entry<>(v, weigher.applyAsInt(k, v));
                });
      }
      if (added[0] && bytes.addAndGet(e.bytes) > maxBytes) {
        sweep();
      }
      synchronized (e) {
        if (e.dropped) {
          continue;
        }
        if (!added[0] && expiresAt.applyAsLong(e.value) <= now.getAsLong()) {
          e.value = create.apply(key); // expired: as good as new
        }
        return action.apply(e.value);
      }
    }
  }

  /** Sets the value of {@code key}. */
  public void put(K key, V value) {
    apply(key, k -> value, v -> null);
    Entry<V> e = map.get(key);
    if (e != null) {
      synchronized (e) {
        if (!e.dropped) {
          e.value = value;
        }
      }
    }
  }

  /** Forgets {@code key}. */
  public void remove(K key) {
    Entry<V> e = map.get(key);
    if (e != null) {
      drop(key, e, Long.MAX_VALUE);
    }
  }

  /** Drops every expired entry now. */
  public void cleanUp() {
    long t = now.getAsLong();
    map.forEach((k, e) -> drop(k, e, t));
  }

  /** Entries held now, expired ones included until the next sweep or clean-up. */
  public long size() {
    return map.size();
  }

  /** Heap the entries take now, as the budget counts it. */
  public long weightedSize() {
    return bytes.get();
  }

  /**
   * Over budget: drops the expired entries, then those that expire soonest, until the entries fit
   * in seven eighths of the budget. One sweep at a time; inserts meanwhile go on.
   */
  private void sweep() {
    if (!sweeping.tryLock()) {
      return; // the running sweep sees this insert, or the next insert sweeps again
    }
    try {
      // Entries changed by other threads since a sweep's snapshot may be left: a few more rounds.
      for (int round = 0; round < 4 && bytes.get() > maxBytes; round++) {
        sweepOnce();
      }
    } finally {
      sweeping.unlock();
    }
  }

  private void sweepOnce() {
    long t = now.getAsLong();
    map.forEach((k, e) -> drop(k, e, t));
    long target = maxBytes - maxBytes / 8;
    if (bytes.get() <= target) {
      return;
    }
    // The expiry time up to which dropping every entry frees enough: sort a snapshot.
    long[] ends = new long[map.size()];
    int n = 0;
    for (Entry<V> e : map.values()) {
      if (n == ends.length) {
        break;
      }
      synchronized (e) {
        ends[n++] = expiresAt.applyAsLong(e.value);
      }
    }
    Arrays.sort(ends, 0, n);
    long average = Math.max(1, bytes.get() / Math.max(1, n));
    int count = (int) Math.min(n, (bytes.get() - target + average - 1) / average);
    long threshold = count == 0 ? t : ends[count - 1];
    for (Map.Entry<K, Entry<V>> me : map.entrySet()) {
      if (bytes.get() <= target) {
        break;
      }
      drop(me.getKey(), me.getValue(), threshold);
    }
  }

  /** Drops {@code e} if it expires at or before {@code until}. */
  private void drop(K key, Entry<V> e, long until) {
    synchronized (e) {
      if (e.dropped || expiresAt.applyAsLong(e.value) > until) {
        return;
      }
      e.dropped = true;
    }
    map.remove(key, e);
    bytes.addAndGet(-e.bytes);
  }
}
