package imps.server.session;

import imps.protocol.message.ImpsMessage;
import imps.protocol.message.StoredPush;
import imps.server.delivery.DeliveryMark;
import imps.server.delivery.DeliveryRecorder;
import imps.server.delivery.Push;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one connection was sent of its user's stored items, and when each counts as delivered.
 *
 * <p>To a legacy client an item is written as the bare command and recorded as delivered once the
 * connection reports it in the peer's hands ({@link Connection#write}); until then its mark is
 * <em>in flight</em>, so that a resync does not send it twice.
 *
 * <p>To a client with acknowledged delivery an item is written inside {@code S_STORED} with its
 * sequence number and counts as delivered once acknowledged. Pushes are not written in sequence
 * order (they come from different threads, writer connections and nodes), so an acknowledgement of
 * a later item must not count an earlier one still on its way: recorded as delivered, it would
 * never come again if the connection died before it was written. An acknowledgement therefore
 * counts only up to the <em>covered</em> number: every item up to it was written to this
 * connection, or needs no writing (delivered before, or not this connection's to write). The
 * backlog covers what it read; live pushes extend the cover as the gaps between them fill.
 *
 * <p>Thread-safe.
 */
final class Deliveries {
  /** Written numbers ahead of a gap kept at most; beyond, later ones wait for the next backlog. */
  static final int MAX_AHEAD = 4096;

  private final Connection connection;
  private final DeliveryRecorder recorder;

  // Legacy: marks of stored items written and not recorded yet. Made on the first.
  private Set<DeliveryMark> inFlight;
  // Acknowledged delivery: the cover, the numbers written beyond a gap, the last one recorded.
  private long covered;
  private TreeSet<Long> ahead;
  private long acknowledged;

  Deliveries(Connection connection, DeliveryRecorder recorder) {
    this.connection = connection;
    this.recorder = recorder;
  }

  /**
   * Writes a push; stored items go inside {@code S_STORED} when {@code acks}. Call in the order the
   * items must reach the client.
   */
  void write(Push p, boolean acks, boolean flush) {
    if (p.seq() > 0 && acks) {
      ImpsMessage frame = new StoredPush(p.seq(), p.frame());
      written(p.seq());
      if (flush) {
        connection.writeAndFlush(frame, null);
      } else {
        connection.write(frame, null);
      }
      return;
    }
    DeliveryMark mark = p.mark();
    Runnable onWritten = null;
    if (mark != null && mark.recorded()) {
      synchronized (this) {
        if (inFlight == null) {
          inFlight = new HashSet<>();
        }
        inFlight.add(mark);
      }
      onWritten = () -> recorded(mark);
    }
    if (flush) {
      connection.writeAndFlush(p.frame(), onWritten);
    } else {
      connection.write(p.frame(), onWritten);
    }
  }

  /** Acknowledged delivery: item {@code seq} was written, or is not this connection's to write. */
  synchronized void written(long seq) {
    if (seq <= covered) {
      return;
    }
    if (seq == covered + 1) {
      covered = seq;
      absorb();
    } else {
      if (ahead == null) {
        ahead = new TreeSet<>();
      }
      if (ahead.size() < MAX_AHEAD) {
        ahead.add(seq);
      }
    }
  }

  /**
   * Acknowledged delivery: every item up to {@code seq} was written or needs no writing (a backlog
   * that read everything up to it, in sequence order, has written what was not delivered).
   */
  synchronized void coveredUpTo(long seq) {
    if (seq > covered) {
      covered = seq;
      absorb();
    }
  }

  private void absorb() {
    if (ahead == null) {
      return;
    }
    while (!ahead.isEmpty() && ahead.first() <= covered + 1) {
      covered = Math.max(covered, ahead.pollFirst());
    }
    if (ahead.isEmpty()) {
      ahead = null;
    }
  }

  /**
   * The client acknowledged every item up to {@code seq}: records what that covers.
   *
   * @return the number now recorded as acknowledged, or 0 when nothing changed
   */
  long acknowledge(long userId, long seq) {
    long upTo;
    synchronized (this) {
      upTo = Math.min(seq, covered);
      if (upTo <= acknowledged) {
        return 0;
      }
      acknowledged = upTo;
    }
    recorder.recordAck(userId, upTo);
    return upTo;
  }

  /** On the connection's thread, once the peer has the item: on record, no longer in flight. */
  private void recorded(DeliveryMark mark) {
    recorder.record(mark);
    synchronized (this) {
      if (inFlight != null && inFlight.remove(mark) && inFlight.isEmpty()) {
        inFlight = null;
      }
    }
  }

  /** The marks of items written to this legacy connection whose delivery is not recorded yet. */
  synchronized Set<DeliveryMark> inFlight() {
    return inFlight == null ? Set.of() : Set.copyOf(inFlight);
  }
}
