package imps.server.dispatch;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import imps.protocol.Feature;
import imps.server.limit.HeapBudget;
import imps.server.limit.StateBytes;
import imps.server.session.Session;
import java.time.Duration;

/**
 * What a {@code C_RESUME}'s last sequence number may count as acknowledged. The client names the
 * last item it has; it has for sure what the ended connection wrote before that item (bytes arrive
 * in order), and nothing written after it: items are not always written in sequence order, so a
 * higher number does not mean the client has the lower ones. This node remembers, for a while after
 * a connection with acknowledged delivery ends, its last unacknowledged items with their covers.
 * When the resume comes to another node, later, or after a restart, the number counts for nothing:
 * what the client had is sent again and the client drops it by sequence number. Thread-safe.
 */
final class ResumePoints {
  /** Items remembered per ended connection: the client's last one is nearly always among them. */
  static final int TAIL = 64;

  /** Heap for the remembered tails, in percent: at most 64 pairs of longs (1 KiB) each. */
  static final double HEAP_PERCENT = 1;

  private final Cache<Long, long[]> tails =
      Caffeine.newBuilder()
          .maximumWeight(HeapBudget.percentOfHeap(HEAP_PERCENT))
          .<Long, long[]>weigher(
              (user, tail) -> StateBytes.ENTRY_OVERHEAD + 16 + 16 + 8 * tail.length)
          .expireAfterWrite(Duration.ofMinutes(5))
          .build();

  /** A logged-in connection ended: remembers its tail, if it had acknowledged delivery. */
  void ended(Session s) {
    if (s.isLoggedIn() && s.has(Feature.ACKS)) {
      long[] tail = s.coverTail(TAIL);
      if (tail.length > 0) {
        tails.put(s.userId(), tail);
      }
    }
  }

  /**
   * What may count as acknowledged for {@code userId} whose resume says it has item {@code
   * lastSeq}: the cover of that item on the connection that ended, or 0.
   */
  long cover(long userId, long lastSeq) {
    long[] tail = tails.getIfPresent(userId);
    if (tail == null || lastSeq <= 0) {
      return 0;
    }
    for (int i = 0; i < tail.length; i += 2) {
      if (tail[i] == lastSeq) {
        tails.invalidate(userId);
        return tail[i + 1];
      }
    }
    return 0;
  }
}
