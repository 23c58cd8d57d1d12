package imps.server.delivery;

/**
 * Records, asynchronously and in batches, that stored messages and outcomes were written to their
 * recipient. Called from event-loop threads, so {@link #record} never blocks.
 */
public interface DeliveryRecorder {

  void record(DeliveryMark mark);

  /** Blocks until everything recorded before this call is committed. */
  void awaitFlushed();
}
