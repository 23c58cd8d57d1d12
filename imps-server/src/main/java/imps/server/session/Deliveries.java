package imps.server.session;

import imps.protocol.message.AudioPush;
import imps.protocol.message.ImpsMessage;
import imps.protocol.message.StoredPush;
import imps.server.delivery.DeliveryMark;
import imps.server.delivery.DeliveryRecorder;
import imps.server.delivery.MessageCounts;
import imps.server.delivery.Push;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
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
 * counts only up to the <em>covered</em> number as it was when the acknowledged item was written:
 * every item up to it had been written to this connection before that one, or needed no writing
 * (delivered before, or not this connection's to write). Bytes arrive in the order they were
 * written, so a client that has an item has everything written before it, and nothing more can be
 * assumed: an item written after it may still be on its way when the acknowledgement arrives. The
 * backlog covers what it read; live pushes extend the cover as the gaps between them fill. A client
 * therefore acknowledges the last item it received (not the highest number).
 *
 * <p>Thread-safe.
 */
final class Deliveries {
  // /metrics: imps_messages_delivered_total by kind, each stored message or clip written to its
  // recipient's connection (live or from a backlog; written again after a reconnect, counted
  // again).
  private static final Counter TEXTS_WRITTEN =
      Metrics.counter("imps.messages.delivered", "kind", "text");
  private static final Counter CLIPS_WRITTEN =
      Metrics.counter("imps.messages.delivered", "kind", "clip");

  /** Written numbers ahead of a gap kept at most; beyond, later ones wait for the next backlog. */
  static final int MAX_AHEAD = 4096;

  /** Written items remembered with the cover at their write, until acknowledged. */
  static final int MAX_UNACKNOWLEDGED = 4096;

  private final Connection connection;
  private final DeliveryRecorder recorder;
  private final MessageCounts counts;

  // Legacy: marks of stored items written and not recorded yet. Made on the first.
  private Set<DeliveryMark> inFlight;
  // Acknowledged delivery: the cover, the numbers written beyond a gap, the last one recorded.
  private long covered;
  private TreeSet<Long> ahead;
  private long acknowledged;
  // Each item written and not acknowledged yet, with the cover right after its write; write order.
  private LinkedHashMap<Long, Long> coverAtWrite;

  /**
   * @param counts this node's counts, where each stored text or clip written is counted
   */
  Deliveries(Connection connection, DeliveryRecorder recorder, MessageCounts counts) {
    this.connection = connection;
    this.recorder = recorder;
    this.counts = counts;
  }

  /**
   * Writes a push; stored items go inside {@code S_STORED} when {@code acks}. Call in the order the
   * items must reach the client.
   */
  void write(Push p, boolean acks, boolean flush) {
    write(p, acks, flush, false);
  }

  /**
   * As {@link #write(Push, boolean, boolean)}; {@code inSequence} for a backlog, which writes in
   * sequence order and skips only what needs no writing, so that its item covers all before it.
   */
  void write(Push p, boolean acks, boolean flush, boolean inSequence) {
    if (p.mark() != null && p.mark().kind() == DeliveryMark.Kind.MESSAGE) {
      boolean clip = p.frame() instanceof AudioPush;
      (clip ? CLIPS_WRITTEN : TEXTS_WRITTEN).increment();
      counts.delivered(clip);
    }
    if (p.seq() > 0 && acks) {
      ImpsMessage frame = new StoredPush(p.seq(), p.frame());
      wrote(p.seq(), inSequence);
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

  private synchronized void wrote(long seq, boolean inSequence) {
    if (inSequence) {
      coveredUpTo(seq);
    } else {
      written(seq);
    }
    if (coverAtWrite == null) {
      coverAtWrite = new LinkedHashMap<>();
    }
    coverAtWrite.put(seq, covered);
    if (coverAtWrite.size() > MAX_UNACKNOWLEDGED) {
      coverAtWrite.remove(coverAtWrite.keySet().iterator().next());
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
      // The cover may pass seq: items with higher numbers written before it are there too.
      upTo = coverAt(seq);
      if (upTo <= acknowledged) {
        return 0;
      }
      acknowledged = upTo;
      // What was written before the acknowledged item is settled by this acknowledgement.
      if (coverAtWrite != null) {
        Iterator<Long> it = coverAtWrite.keySet().iterator();
        while (it.hasNext() && it.next() != seq) {
          it.remove();
        }
        coverAtWrite.remove(seq);
      }
    }
    recorder.recordAck(userId, upTo);
    return upTo;
  }

  /**
   * The cover when item {@code seq} was written to this connection: what a client that has that
   * item has for sure. 0 when it was not written here (or is forgotten).
   */
  synchronized long coverAt(long seq) {
    if (coverAtWrite == null) {
      return 0;
    }
    Long c = coverAtWrite.get(seq);
    return c == null ? 0 : c;
  }

  /**
   * The last {@code n} items written and not acknowledged, each with its cover ({@link #coverAt}),
   * as pairs in one array: what a resume after this connection ends may count.
   */
  synchronized long[] coverTail(int n) {
    if (coverAtWrite == null) {
      return new long[0];
    }
    int skip = Math.max(0, coverAtWrite.size() - n);
    long[] out = new long[2 * (coverAtWrite.size() - skip)];
    int i = 0;
    for (Map.Entry<Long, Long> e : coverAtWrite.entrySet()) {
      if (skip-- > 0) {
        continue;
      }
      out[i++] = e.getKey();
      out[i++] = e.getValue();
    }
    return out;
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
