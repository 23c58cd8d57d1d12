package imps.server.delivery;

import java.util.concurrent.atomic.LongAdder;

/**
 * What one node did with texts and clips since it started, for the admin command {@code stats}: how
 * many its senders' stored (duplicates of an idempotent send not counted), and how many it wrote to
 * their recipients' connections (live or from a login backlog; one written again after a reconnect
 * counts again). Unlike the Prometheus counters, which are the process's, these belong to one
 * server. Thread-safe, and cheap enough for an event loop.
 */
public final class MessageCounts {
  private final LongAdder textsStored = new LongAdder();
  private final LongAdder clipsStored = new LongAdder();
  private final LongAdder textsDelivered = new LongAdder();
  private final LongAdder clipsDelivered = new LongAdder();

  /** The counts at one moment. */
  public record Snapshot(
      long textsStored, long clipsStored, long textsDelivered, long clipsDelivered) {}

  /** A text ({@code clip} false) or a clip was stored for its recipient. */
  public void stored(boolean clip) {
    (clip ? clipsStored : textsStored).increment();
  }

  /** A stored text or clip was written to its recipient's connection. */
  public void delivered(boolean clip) {
    (clip ? clipsDelivered : textsDelivered).increment();
  }

  public Snapshot snapshot() {
    return new Snapshot(
        textsStored.sum(), clipsStored.sum(), textsDelivered.sum(), clipsDelivered.sum());
  }
}
