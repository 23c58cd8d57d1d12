package imps.server.store.jdbc;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import imps.server.limit.HeapBudget;
import imps.server.store.MessageStore.Quota;

/**
 * An upper bound, per recipient, of what {@link Messages#waiting} would count (undelivered messages
 * and their bytes), so that the quota check can skip that query while the bound is within the
 * quota: the count from the last time the query ran, plus every message stored since. Deliveries
 * are not subtracted, so the bound only errs upwards; once it reaches the quota the query runs and
 * the bound starts again from the true count.
 *
 * <p>Valid only where this process is the database's only writer (SQLite): messages stored by
 * another server would be missing from the bound. With an online recipient the query then runs
 * about once per {@code quota.undelivered-items} messages instead of once per message.
 *
 * <p>Methods are called inside writes, one at a time per recipient (the single writer); the cache
 * is thread-safe anyway. Forgetting an entry (eviction under its byte budget) costs one query.
 */
final class WaitingBounds {
  // Per recipient: a Long key, a long[2] and Caffeine's and the hash table's nodes.
  private static final int ENTRY_BYTES = 120;

  private final Cache<Long, long[]> bounds =
      Caffeine.newBuilder()
          .maximumWeight(HeapBudget.percentOfHeap(1))
          .<Long, long[]>weigher((recipient, bound) -> ENTRY_BYTES)
          .executor(Runnable::run)
          .build();

  /**
   * Whether a message of {@code bytes} for {@code recipientId} is within {@code quota} for sure,
   * without asking the database.
   */
  boolean surelyWithin(long recipientId, long bytes, Quota quota) {
    long[] b = bounds.getIfPresent(recipientId);
    return b != null && b[0] < quota.items() && b[1] + bytes <= quota.bytes();
  }

  /** The database counted {@code items} undelivered messages of {@code bytes} for the recipient. */
  void measured(long recipientId, long items, long bytes) {
    bounds.put(recipientId, new long[] {items, bytes});
  }

  /** A message of {@code bytes} was stored for the recipient. */
  void stored(long recipientId, long bytes) {
    long[] b = bounds.getIfPresent(recipientId);
    if (b != null) {
      b[0]++;
      b[1] += bytes;
    }
  }
}
