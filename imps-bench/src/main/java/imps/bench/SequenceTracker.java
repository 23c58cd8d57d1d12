package imps.bench;

import java.util.BitSet;

/**
 * Tracks the sequence numbers of one ordered stream (one sender to one recipient) as they arrive,
 * and counts duplicates and reorderings; the loss is what was expected and never came. Not
 * thread-safe: one stream is fed by one thread (the recipient's event loop).
 */
public final class SequenceTracker {
  private final BitSet seen = new BitSet();
  private long highest = -1;
  private long received;
  private long duplicated;
  private long reordered;
  private long outOfRange;

  /** Records that {@code seq} arrived. Sequence numbers start at 0. */
  public void record(long seq) {
    if (seq < 0 || seq > Integer.MAX_VALUE - 1) {
      outOfRange++;
      return;
    }
    int s = (int) seq;
    if (seen.get(s)) {
      duplicated++;
      return;
    }
    seen.set(s);
    received++;
    if (seq < highest) {
      reordered++;
    } else {
      highest = seq;
    }
  }

  /** Distinct sequence numbers received. */
  public long received() {
    return received;
  }

  public long duplicated() {
    return duplicated;
  }

  /** Arrivals of a number lower than one already received. */
  public long reordered() {
    return reordered;
  }

  /** Numbers that could not have been sent (negative or absurdly large). */
  public long outOfRange() {
    return outOfRange;
  }

  /** Whether {@code seq} arrived. */
  public boolean has(long seq) {
    return seq >= 0 && seq < Integer.MAX_VALUE && seen.get((int) seq);
  }

  /**
   * How many of the numbers {@code 0..expected-1} never arrived.
   *
   * @param expected the numbers sent (and acknowledged), 0..expected-1
   */
  public long lost(long expected) {
    if (expected <= 0) {
      return 0;
    }
    int n = (int) Math.min(expected, Integer.MAX_VALUE - 1);
    return n - seen.get(0, n).cardinality();
  }
}
