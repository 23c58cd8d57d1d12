package imps.server.delivery;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects delivery marks from write listeners (event-loop threads) and records them in batches on
 * one background thread, so that recording costs the event loop only a queue insert and many marks
 * share one commit.
 *
 * <p>A batch is written {@link #LINGER_MS} after its first mark, not at once, so that marks share
 * commits instead of taking one (an fsync) each (docs/BENCHMARKS.md, "Delivery marks"). Late marks
 * cost nothing: a login first flushes them ({@link #awaitFlushed}), and a crash can only repeat an
 * item, as it could before.
 *
 * <p>Acknowledgements wait longer, {@link #ACK_LINGER_MS} after the first, on a schedule of their
 * own: each one costs the writer several statements for its user (the acknowledged number, the
 * messages it delivers, the receipts it makes due), and those of one user coalesce to the highest,
 * so the longer wait turns a busy user's many acknowledgements into one. What it delays is a
 * sender's delivery receipt, by at most that long; what a crash can cost is the same as for marks
 * (items sent again, which clients drop by sequence number). See docs/PROTOCOL.md, decision 47.
 */
public final class BatchingDeliveryRecorder implements DeliveryRecorder, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BatchingDeliveryRecorder.class);
  // Small enough that one batch of marks never holds message inserts up for long on the writer.
  private static final int BATCH = 256;
  // Users per acknowledgement write: each costs several statements (see the class comment), so
  // an unbounded batch of every user's acknowledgements held the writer for 5-20 ms every
  // ACK_LINGER_MS, and the message inserts queued behind it (docs/BENCHMARKS.md, "Acknowledgements
  // in bounded writes").
  private static final int ACK_BATCH = 64;
  private static final long RETRY_PAUSE_MS = 1000;

  /** How long the first mark of a batch waits for more. */
  static final long LINGER_MS = 10;

  /** How long the first acknowledgement of a batch waits for more. */
  static final long ACK_LINGER_MS = 100;

  private final Consumer<List<Long>> markMessages;
  private final Consumer<List<Long>> markOutcomes;
  private final Consumer<Map<Long, Long>> ack;
  private final ConcurrentLinkedQueue<DeliveryMark> queue = new ConcurrentLinkedQueue<>();
  private final ConcurrentHashMap<Long, Long> acks = new ConcurrentHashMap<>();
  private final long ackLingerMs;
  private final AtomicBoolean marksScheduled = new AtomicBoolean();
  private final AtomicBoolean acksScheduled = new AtomicBoolean();
  private volatile boolean draining;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          new DefaultThreadFactory("imps-delivery-recorder", true));

  /**
   * @param markMessages records message ids as delivered, durably (one store write)
   * @param markOutcomes records friend-request outcome ids as delivered, durably
   * @param ack records acknowledgements (user id to the highest sequence number), durably
   */
  public BatchingDeliveryRecorder(
      Consumer<List<Long>> markMessages,
      Consumer<List<Long>> markOutcomes,
      Consumer<Map<Long, Long>> ack) {
    this(markMessages, markOutcomes, ack, ACK_LINGER_MS);
  }

  /** As above, with acknowledgements waiting {@code ackLingerMs} for company (tests). */
  BatchingDeliveryRecorder(
      Consumer<List<Long>> markMessages,
      Consumer<List<Long>> markOutcomes,
      Consumer<Map<Long, Long>> ack,
      long ackLingerMs) {
    this.markMessages = markMessages;
    this.markOutcomes = markOutcomes;
    this.ack = ack;
    this.ackLingerMs = ackLingerMs;
  }

  @Override
  public void record(DeliveryMark mark) {
    queue.add(mark);
    schedule(marksScheduled, LINGER_MS, this::drainQueue);
  }

  @Override
  public void recordAck(long userId, long seq) {
    acks.merge(userId, seq, Math::max);
    schedule(acksScheduled, ackLingerMs, this::drainAcks);
  }

  /**
   * Runs {@code work} as a drain {@code lingerMs} from now, unless {@code scheduled} says a run is
   * scheduled already; the run clears the flag before it starts, so that what comes meanwhile
   * schedules the next one.
   */
  private void schedule(AtomicBoolean scheduled, long lingerMs, Runnable work) {
    if (scheduled.compareAndSet(false, true)) {
      try {
        thread.schedule(
            () -> {
              scheduled.set(false);
              drainAs(work);
            },
            lingerMs,
            TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // Shutting down: the mark or acknowledgement is lost; its item comes again at next login.
      }
    }
  }

  @Override
  public void awaitFlushed() {
    // Fast path, taken by nearly every login: nothing queued and no batch being written means
    // every earlier mark is committed. (A drain sets the flag before it takes the first mark.)
    if (queue.isEmpty() && acks.isEmpty() && !draining) {
      return;
    }
    try {
      thread.submit(this::drain).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      log.warn("delivery marks not flushed", e);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // shutting down
    }
  }

  @Override
  public CompletableFuture<Void> flushed() {
    if (queue.isEmpty() && acks.isEmpty() && !draining) {
      return CompletableFuture.completedFuture(null);
    }
    try {
      return CompletableFuture.runAsync(this::drain, thread);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      return CompletableFuture.completedFuture(null); // shutting down
    }
  }

  /** Writes everything gathered so far (a flush). */
  private void drain() {
    drainAs(
        () -> {
          drainAcks();
          drainQueue();
        });
  }

  /** Runs {@code work} on this thread with {@link #draining} set, for {@link #awaitFlushed}. */
  private void drainAs(Runnable work) {
    draining = true;
    try {
      work.run();
    } finally {
      draining = false;
    }
  }

  private void drainQueue() {
    while (!queue.isEmpty()) {
      List<Long> msgIds = new ArrayList<>();
      List<Long> outcomeIds = new ArrayList<>();
      DeliveryMark m;
      while (msgIds.size() + outcomeIds.size() < BATCH && (m = queue.poll()) != null) {
        (m.kind() == DeliveryMark.Kind.MESSAGE ? msgIds : outcomeIds).add(m.id());
      }
      try {
        if (!msgIds.isEmpty()) {
          markMessages.accept(msgIds);
        }
        if (!outcomeIds.isEmpty()) {
          markOutcomes.accept(outcomeIds);
        }
      } catch (RuntimeException e) {
        // Keep the marks and try again shortly: dropping them would deliver these items a second
        // time at the next login.
        log.error("could not record {} deliveries; retrying", msgIds.size() + outcomeIds.size(), e);
        msgIds.forEach(id -> queue.add(DeliveryMark.message(id)));
        outcomeIds.forEach(id -> queue.add(DeliveryMark.outcome(id)));
        try {
          Thread.sleep(RETRY_PAUSE_MS);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /**
   * Writes the acknowledgements gathered so far, {@link #ACK_BATCH} users per write; keeps them on
   * failure.
   */
  private void drainAcks() {
    while (!acks.isEmpty()) {
      Map<Long, Long> batch = new HashMap<>();
      for (Map.Entry<Long, Long> e : acks.entrySet()) {
        if (batch.size() == ACK_BATCH) {
          break;
        }
        // Only if no higher one came meanwhile: that one stays for the next round.
        if (acks.remove(e.getKey(), e.getValue())) {
          batch.put(e.getKey(), e.getValue());
        }
      }
      if (batch.isEmpty()) {
        continue;
      }
      try {
        ack.accept(batch);
      } catch (RuntimeException e) {
        log.error("could not record {} acknowledgements; retrying", batch.size(), e);
        batch.forEach((user, seq) -> acks.merge(user, seq, Math::max));
        try {
          Thread.sleep(RETRY_PAUSE_MS);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  @Override
  public void close() {
    awaitFlushed();
    thread.shutdown();
  }
}
