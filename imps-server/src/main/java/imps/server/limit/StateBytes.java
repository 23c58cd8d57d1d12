package imps.server.limit;

/**
 * What the limiters' remembered state costs in heap, so that every map of it can be bounded in
 * bytes rather than in keys (issue 11, review finding M10): an attacker chooses how many keys it
 * sprays (addresses from an IPv6 /48, names) and how long each is (a name, an AF_UNIX path from a
 * PROXY header), so a count of keys bounds nothing. Estimates err high, so that a budget holds.
 *
 * <p>Each map of limiter state (one per command class, the login throttle's addresses, accounts and
 * account-address pairs, the registrations and new connections per address) may take {@link
 * #HEAP_PERCENT_PER_MAP} percent of the heap: with the launcher's 640 MiB, 3.2 MiB or 14,000 to
 * 20,000 keys each, 13 maps and 42 MiB together. docs/CONFIGURATION.md ("Limits") says so.
 */
public final class StateBytes {
  /** The share of the heap, in percent, each map of limiter state may take. */
  public static final double HEAP_PERCENT_PER_MAP = 0.5;

  /**
   * Heap per entry besides its key and value: the hash table's node (32 bytes) and slots (8 to 16,
   * as the table grows), and {@link BoundedState}'s entry holding the value and its weight (24),
   * rounded up generously: the budget must hold even if the estimate is off.
   */
  public static final int ENTRY_OVERHEAD = 112;

  private StateBytes() {}

  /** {@link #HEAP_PERCENT_PER_MAP} of this JVM's heap, in bytes. */
  public static long perMap() {
    return HeapBudget.percentOfHeap(HEAP_PERCENT_PER_MAP);
  }

  /**
   * Heap held by {@code key}: a boxed number 16 bytes; a string its object (24) and array (16) and
   * two bytes a character (one for Latin-1, which most keys are, but names need not be); anything
   * else 64.
   */
  public static int key(Object key) {
    if (key instanceof Long || key instanceof Integer) {
      return 16;
    }
    if (key instanceof String s) {
      return 40 + 2 * s.length();
    }
    return 64;
  }
}
