package imps.server.delivery;

import java.util.concurrent.CompletableFuture;

/**
 * Records, asynchronously and in batches, that stored messages and outcomes were written to their
 * recipient. Called from event-loop threads, so {@link #record} never blocks.
 */
public interface DeliveryRecorder {

  void record(DeliveryMark mark);

  /**
   * Records that {@code userId} acknowledged every stored item up to {@code seq} (acknowledged
   * delivery); acknowledgements of one user coalesce to the highest.
   */
  void recordAck(long userId, long seq);

  /** Blocks until everything recorded before this call is committed. */
  void awaitFlushed();

  /**
   * Completes once everything recorded before this call is committed, without blocking the caller
   * (on the recorder's thread, or at once when nothing is pending).
   */
  CompletableFuture<Void> flushed();
}
