package imps.server.store.jdbc;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link GroupCommitWriter} forms its batches.
 *
 * <p>{@code maxWrites}: the most writes committed together. {@code delay}: how long the writer
 * thread lets a queued asynchronous write (a message) wait for company before it commits, while the
 * database is busy, so that more writes share one commit and its fsync (the commit is the largest
 * fixed cost of a write: docs/BENCHMARKS.md, "Commits that wait for company"). The wait ends once
 * the oldest queued write has waited {@code delay}, or once {@link #COMPANY} writes are queued; it
 * happens only while commits follow each other closely (the last ended less than {@code delay}
 * ago), so a lone write on an idle server commits at once. A caller of {@link
 * GroupCommitWriter#write} that finds a writer connection free commits at once as before (taking
 * the queued writes along); one that finds it held by the waiting writer thread waits with the
 * others. {@link Duration#ZERO}: never wait.
 *
 * @param maxWrites at least 1
 * @param delay from 0 to 1 s
 */
public record CommitBatching(int maxWrites, Duration delay) {
  /** Queued writes at which a batch stops waiting for more. */
  public static final int COMPANY = 64;

  private static final Duration MAX_DELAY = Duration.ofSeconds(1);

  public CommitBatching {
    Objects.requireNonNull(delay, "delay");
    if (maxWrites < 1) {
      throw new IllegalArgumentException("maxWrites must be at least 1: " + maxWrites);
    }
    if (delay.isNegative() || delay.compareTo(MAX_DELAY) > 0) {
      throw new IllegalArgumentException("delay must be from 0 to 1 s: " + delay);
    }
  }

  /** Up to {@code maxWrites} per commit, committed without waiting for company. */
  public static CommitBatching upTo(int maxWrites) {
    return new CommitBatching(maxWrites, Duration.ZERO);
  }

  long delayNanos() {
    return delay.toNanos();
  }
}
