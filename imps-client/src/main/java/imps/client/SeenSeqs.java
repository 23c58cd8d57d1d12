package imps.client;

/**
 * Which sequence numbers of stored items have been passed to the listener, to tell a repeat from an
 * item that arrives out of order. The server numbers a user's items in the order it stores them but
 * does not always push them in that order (a receipt, pushed once its own transaction is done, can
 * come after a message stored later), so "not above the highest seen" does not mean "seen". Exact
 * within {@value #WINDOW} numbers below the highest seen; older ones count as seen (the server only
 * sends again what follows the last acknowledgement). Not thread-safe: the I/O thread owns it.
 */
final class SeenSeqs {
  /** How far below the highest number seen the set is exact: 8 KiB of bits. */
  static final int WINDOW = 1 << 16;

  private final long[] bits = new long[WINDOW / 64];
  private long highest;

  /** Records {@code seq}; {@code true} when it had not been seen (it is then seen). */
  boolean add(long seq) {
    if (seq > highest) {
      if (seq - highest >= WINDOW) {
        java.util.Arrays.fill(bits, 0);
      } else {
        for (long s = highest + 1; s < seq; s++) {
          clear(s); // slots of numbers not seen (yet): free them of what they held before
        }
      }
      highest = seq;
      set(seq);
      return true;
    }
    if (seq <= highest - WINDOW || isSet(seq)) {
      return false;
    }
    set(seq);
    return true;
  }

  /** Forgets everything (a login as another user: numbers are per user). */
  void clearAll() {
    java.util.Arrays.fill(bits, 0);
    highest = 0;
  }

  private int index(long seq) {
    return (int) Math.floorMod(seq, (long) WINDOW);
  }

  private boolean isSet(long seq) {
    int i = index(seq);
    return (bits[i >>> 6] & (1L << i)) != 0;
  }

  private void set(long seq) {
    int i = index(seq);
    bits[i >>> 6] |= 1L << i;
  }

  private void clear(long seq) {
    int i = index(seq);
    bits[i >>> 6] &= ~(1L << i);
  }
}
