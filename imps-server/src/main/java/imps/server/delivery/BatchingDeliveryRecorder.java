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
 */
public final class BatchingDeliveryRecorder implements DeliveryRecorder, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BatchingDeliveryRecorder.class);
  // Small enough that one batch of marks never holds message inserts up for long on the writer.
  private static final int BATCH = 256;
  private static final long RETRY_PAUSE_MS = 1000;

  /** How long the first mark of a batch waits for more. */
  static final long LINGER_MS = 10;

  private final Consumer<List<Long>> markMessages;
  private final Consumer<List<Long>> markOutcomes;
  private final Consumer<Map<Long, Long>> ack;
  private final ConcurrentLinkedQueue<DeliveryMark> queue = new ConcurrentLinkedQueue<>();
  private final ConcurrentHashMap<Long, Long> acks = new ConcurrentHashMap<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
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
    this.markMessages = markMessages;
    this.markOutcomes = markOutcomes;
    this.ack = ack;
  }

  @Override
  public void record(DeliveryMark mark) {
    queue.add(mark);
    schedule();
  }

  @Override
  public void recordAck(long userId, long seq) {
    acks.merge(userId, seq, Math::max);
    schedule();
  }

  private void schedule() {
    if (scheduled.compareAndSet(false, true)) {
      try {
        thread.schedule(this::drain, LINGER_MS, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // Shutting down: the mark is lost and the item will be delivered again at next login.
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

  private void drain() {
    draining = true;
    try {
      drainQueue();
    } finally {
      draining = false;
    }
  }

  private void drainQueue() {
    scheduled.set(false);
    drainAcks();
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

  /** Writes the acknowledgements gathered so far in one write; keeps them on failure. */
  private void drainAcks() {
    while (!acks.isEmpty()) {
      Map<Long, Long> batch = new HashMap<>();
      for (Map.Entry<Long, Long> e : acks.entrySet()) {
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
