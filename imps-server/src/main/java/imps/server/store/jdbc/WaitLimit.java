package imps.server.store.jdbc;

import imps.server.store.StoreException;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wait limit of a {@link GroupCommitWriter} (review finding M6): no caller waits without bound.
 * A write still queued after the limit is taken out of the queue and fails (it never runs: error
 * 11, not applied); a batch still committing after the limit (a database that stopped answering, a
 * disk that hangs) has its writes failed too, although they may still commit (as with a lost commit
 * reply, see {@link WriterLane}). The limit is well above what a commit takes with the stores' own
 * timeouts, so it only ends waits that nothing else would. One daemon thread checks every quarter
 * of the limit (at most 250 ms).
 */
final class WaitLimit implements AutoCloseable {
  // Under the writer's name, as the rest of the group commit logs.
  private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);

  private record InFlight(List<PendingWrite<?>> batch, long since) {}

  private final String name;
  private final Queue<PendingWrite<?>> writes;
  private final long waitLimitNanos;
  private final Duration waitLimit;
  // The batch each lane is committing and when it was taken (lane index).
  private final AtomicReferenceArray<InFlight> inFlight;
  private final ScheduledExecutorService expiry;

  /**
   * Starts checking {@code writes} (the writer's queue) and the batches of {@code lanes} writer
   * connections against {@code waitLimit}; {@code name} for the thread, logs and errors.
   */
  WaitLimit(String name, Duration waitLimit, Queue<PendingWrite<?>> writes, int lanes) {
    this.name = name;
    this.writes = writes;
    this.waitLimit = waitLimit;
    this.waitLimitNanos = waitLimit.toNanos();
    this.inFlight = new AtomicReferenceArray<>(lanes);
    long check = Math.max(10, Math.min(250, waitLimit.toMillis() / 4));
    this.expiry =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "imps-db-expiry-" + name);
              t.setDaemon(true);
              return t;
            });
    expiry.scheduleWithFixedDelay(this::expire, check, check, TimeUnit.MILLISECONDS);
  }

  /** Lane {@code lane} starts committing {@code batch} (not empty), queued first by its first. */
  void committing(int lane, List<PendingWrite<?>> batch) {
    inFlight.set(lane, new InFlight(batch, batch.get(0).queuedAt()));
  }

  /** Lane {@code lane} finished its batch, whatever the outcome. */
  void committed(int lane) {
    inFlight.set(lane, null);
  }

  /** Fails the writes that have waited longer than the limit (see the class comment). */
  private void expire() {
    try {
      long now = System.nanoTime();
      PendingWrite<?> w;
      while ((w = writes.peek()) != null && now - w.queuedAt() > waitLimitNanos) {
        // Taken out before a lane drained it: it never runs.
        if (writes.remove(w)) {
          w.result()
              .completeExceptionally(
                  new StoreException(
                      "database " + name + " did not take the write within " + waitLimit, null));
        }
      }
      for (int i = 0; i < inFlight.length(); i++) {
        InFlight f = inFlight.get(i);
        if (f != null && now - f.since() > waitLimitNanos) {
          StoreException late =
              new StoreException(
                  "database "
                      + name
                      + " did not answer a commit within "
                      + waitLimit
                      + " (it may still happen)",
                  null);
          for (PendingWrite<?> p : f.batch()) {
            p.result().completeExceptionally(late);
          }
        }
      }
    } catch (RuntimeException e) {
      log.warn("checking the wait limit of {} failed: {}", name, e.toString());
    }
  }

  /** Stops checking. */
  @Override
  public void close() {
    expiry.shutdownNow();
  }
}
