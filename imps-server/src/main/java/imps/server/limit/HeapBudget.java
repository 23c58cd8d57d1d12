package imps.server.limit;

/**
 * Shares of the heap, for sizing caches and pools in bytes rather than in entries: a count that is
 * right for one heap is wrong for another, and a client can often choose how big each entry is.
 */
public final class HeapBudget {
  private HeapBudget() {}

  /** {@code percent} of the most heap this JVM may use ({@code -Xmx}), in bytes. */
  public static long percentOfHeap(double percent) {
    return percentOf(Runtime.getRuntime().maxMemory(), percent);
  }

  /** {@code percent} of {@code bytes}, at least 1. */
  public static long percentOf(long bytes, double percent) {
    if (percent <= 0 || percent > 100) {
      throw new IllegalArgumentException("percent must be in (0, 100]: " + percent);
    }
    return Math.max(1, (long) (bytes * (percent / 100.0)));
  }
}
