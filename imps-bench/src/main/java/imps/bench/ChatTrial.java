package imps.bench;

import imps.protocol.message.MessagePush;
import imps.protocol.message.SendMessage;
import java.time.Duration;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * One chat run at one rate. Sends open loop on the calling thread: message k goes from user {@code
 * k mod n} to its partner {@code (k mod n) ^ 1} at the pacer's intended time, with the body {@code
 * tag|seq|intendedNanoTime[padding]}. Receives on the event loops: checks each stream's sequence
 * and records the end-to-end latency from the intended send time. Messages of another tag (an
 * earlier trial or run) are counted as stale and otherwise ignored.
 *
 * <p>Messages later than {@link #SLOW_MICROS} are also counted by the second of the run they were
 * due to be sent in: a p99 says how long the tail is, this says whether it is steady or a few
 * bursts, and when.
 */
final class ChatTrial {
  private final String tag;
  private final RatePacer pacer;
  private final int n;
  private final Conn[] conns;
  private final String padding;
  private final SequenceTracker[] trackers;
  private final AtomicIntegerArray ackedPerSender;
  private final Recorder e2e = new Recorder(3_600_000_000L, 3);
  private final Recorder ack = new Recorder(3_600_000_000L, 3);

  /** End-to-end latency above which a message counts in {@link #slowBySecond}. */
  static final long SLOW_MICROS = 50_000;

  /** The note lists the first this many seconds with late messages, and counts the rest. */
  static final int LISTED_SECONDS = 30;

  // By second of the intended send time, from the pacer's start; the last slot takes the rest.
  private final AtomicLongArray slowBySecond;
  private final AtomicLongArray slowestBySecond; // microseconds
  private final AtomicLong ackedOk = new AtomicLong();
  private final AtomicLong ackErrors = new AtomicLong();
  private final AtomicLong ackLost = new AtomicLong();
  private final AtomicLong receivedCount = new AtomicLong();
  private final AtomicLong stale = new AtomicLong();
  private final AtomicLong badBody = new AtomicLong();
  private final Conn.ReplyHandler onAck;
  private volatile long lastReceive;
  private long sent;
  private long sendEnd;
  private long maxLagNanos;

  /**
   * @param tag marks this trial's messages
   * @param conns the users, logged in, {@code conns[i]} friends with {@code conns[i ^ 1]}
   * @param bodyChars pad bodies to at least this many characters (0: no padding)
   */
  ChatTrial(String tag, RatePacer pacer, Conn[] conns, int bodyChars) {
    this.tag = tag;
    this.pacer = pacer;
    this.n = conns.length;
    this.conns = conns;
    this.padding = bodyChars > 0 ? "x".repeat(bodyChars) : "";
    this.trackers = new SequenceTracker[n];
    for (int i = 0; i < n; i++) {
      trackers[i] = new SequenceTracker();
    }
    this.ackedPerSender = new AtomicIntegerArray(n);
    int seconds = (int) ((pacer.endNanos() - pacer.intendedNanos(0)) / 1_000_000_000L) + 1;
    this.slowBySecond = new AtomicLongArray(seconds);
    this.slowestBySecond = new AtomicLongArray(seconds);
    this.onAck =
        (c, reply, t0) -> {
          if (reply == null) {
            ackLost.incrementAndGet();
          } else if (Replies.isSuccess(reply)) {
            ack.recordValue(Math.max(0, (System.nanoTime() - t0) / 1000));
            ackedPerSender.incrementAndGet(c.index);
            ackedOk.incrementAndGet();
          } else {
            ackErrors.incrementAndGet();
          }
        };
  }

  /**
   * A client message id (--acks), unique for every sender across trials and runs: as the SDK, from
   * the clock in microsecond steps, one more than the last when the clock has not moved on.
   */
  private static long nextClientId() {
    return CLIENT_IDS.updateAndGet(last -> Math.max(last + 1, System.currentTimeMillis() * 1000));
  }

  private static final AtomicLong CLIENT_IDS = new AtomicLong();

  /** Messages received so far (each once), for the progress line. */
  long receivedSoFar() {
    return receivedCount.get();
  }

  /** Refused, unacknowledged and unreadable messages so far, for the progress line. */
  long errors() {
    return ackErrors.get() + ackLost.get() + badBody.get();
  }

  /** Sends the schedule; returns when all is sent or {@code seconds} + 10 s after its end. */
  void send(double seconds) {
    long total = pacer.total();
    long hardEnd = pacer.endNanos() + (long) (seconds * 1e9) + 10_000_000_000L;
    long k = 0;
    while (k < total) {
      long now = System.nanoTime();
      if (now > hardEnd) {
        break; // bounded in time even if sending stalls
      }
      long due = pacer.dueAt(now);
      if (due > k) {
        maxLagNanos = Math.max(maxLagNanos, now - pacer.intendedNanos(k));
      }
      for (; k < due; k++) {
        int s = (int) (k % n);
        Conn from = conns[s];
        Conn to = conns[s ^ 1];
        long intended = pacer.intendedNanos(k);
        String body = tag + "|" + (k / n) + "|" + intended + padding;
        SendMessage msg =
            from.optedIn()
                ? new SendMessage(from.user, to.user, body, nextClientId())
                : new SendMessage(from.user, to.user, body);
        from.send(msg, intended, onAck);
      }
      if (k < total) {
        long wait = pacer.intendedNanos(k) - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
      }
    }
    sent = k;
    sendEnd = System.nanoTime();
  }

  /** A push to {@code conn}, on its event loop. */
  void received(Conn conn, MessagePush m) {
    long now = System.nanoTime();
    String b = m.message();
    int p1 = b.indexOf('|');
    int p2 = p1 < 0 ? -1 : b.indexOf('|', p1 + 1);
    if (p2 < 0) {
      badBody.incrementAndGet();
      return;
    }
    if (!b.regionMatches(0, tag, 0, p1) || p1 != tag.length()) {
      stale.incrementAndGet(); // from an earlier trial or run
      return;
    }
    long seq;
    long intended;
    try {
      seq = Long.parseLong(b, p1 + 1, p2, 10);
      int end = p2 + 1;
      while (end < b.length() && (Character.isDigit(b.charAt(end)) || b.charAt(end) == '-')) {
        end++;
      }
      intended = Long.parseLong(b, p2 + 1, end, 10);
    } catch (NumberFormatException e) {
      badBody.incrementAndGet();
      return;
    }
    SequenceTracker tr = trackers[conn.index];
    long before = tr.received();
    synchronized (tr) {
      tr.record(seq);
    }
    if (tr.received() > before) {
      long micros = Math.max(0, (now - intended) / 1000);
      e2e.recordValue(micros);
      if (micros > SLOW_MICROS) {
        int second = secondOf(intended);
        slowBySecond.incrementAndGet(second);
        slowestBySecond.accumulateAndGet(second, micros, Math::max);
      }
      receivedCount.incrementAndGet();
      lastReceive = now;
    }
  }

  /** The slot of {@link #slowBySecond} for a message due at {@code intended}. */
  private int secondOf(long intended) {
    long s = (intended - pacer.intendedNanos(0)) / 1_000_000_000L;
    return (int) Math.max(0, Math.min(slowBySecond.length() - 1, s));
  }

  /** Whether every sent message was answered, and every acknowledged one delivered. */
  boolean settled() {
    long acks = ackedOk.get() + ackErrors.get() + ackLost.get();
    return acks >= sent && receivedCount.get() >= ackedOk.get();
  }

  /** Waits until {@link #settled()}, at most {@code max}. */
  void drain(Duration max) throws InterruptedException {
    Bounded.waitFor(this::settled, max);
  }

  /** Records the trial's metrics in {@code r}. */
  void report(Result r) {
    Histogram h = e2e.getIntervalHistogram();
    Histogram a = ack.getIntervalHistogram();
    long lost = 0;
    long dup = 0;
    long reordered = 0;
    for (int i = 0; i < n; i++) {
      SequenceTracker tr = trackers[i];
      synchronized (tr) {
        // Receiver i's only sender is i ^ 1.
        lost += Math.max(0, ackedPerSender.get(i ^ 1) - tr.received());
        dup += tr.duplicated();
        reordered += tr.reordered();
      }
    }
    long received = receivedCount.get();
    double start = pacer.intendedNanos(0);
    double end = Math.max(pacer.endNanos(), lastReceive);
    long drainNanos = Math.max(0, lastReceive - Math.max(pacer.endNanos(), sendEnd));
    r.metric("offered_rate_per_s", Math.round(pacer.total() / ((pacer.endNanos() - start) / 1e9)));
    r.metric("scheduled", pacer.total());
    r.metric("sent", sent);
    r.metric("acked", ackedOk.get());
    r.metric("ack_errors", ackErrors.get());
    r.metric(
        "unacked",
        ackLost.get() + Math.max(0, sent - ackedOk.get() - ackErrors.get() - ackLost.get()));
    r.metric("received", received);
    r.metric("delivered_per_s", Metrics.round1(received / ((end - start) / 1e9)));
    r.metric("lost", lost);
    r.metric("duplicated", dup);
    r.metric("reordered", reordered);
    r.metric("stale_from_earlier_runs", stale.get());
    r.metric("bad_bodies", badBody.get());
    r.metric("ack_p50_ms", Metrics.ms(a, 50));
    r.metric("ack_p99_ms", Metrics.ms(a, 99));
    r.metric("ack_max_ms", Metrics.maxMs(a));
    r.metric("e2e_p50_ms", Metrics.ms(h, 50));
    r.metric("e2e_p90_ms", Metrics.ms(h, 90));
    r.metric("e2e_p99_ms", Metrics.ms(h, 99));
    r.metric("e2e_p99_9_ms", Metrics.ms(h, 99.9));
    r.metric("e2e_max_ms", Metrics.maxMs(h));
    r.metric("drain_ms", Metrics.round1(drainNanos / 1e6));
    r.metric("send_lag_max_ms", Metrics.round1(maxLagNanos / 1e6));
    reportSlowSeconds(r);
  }

  /**
   * Metric {@code e2e_slow_seconds}: the seconds of the run with a message later than {@link
   * #SLOW_MICROS}; and a note listing them: second (from the start), how many, the latest.
   */
  private void reportSlowSeconds(Result r) {
    StringJoiner list = new StringJoiner(", ");
    int seconds = 0;
    for (int i = 0; i < slowBySecond.length(); i++) {
      long count = slowBySecond.get(i);
      if (count > 0) {
        seconds++;
        if (seconds <= LISTED_SECONDS) {
          list.add(
              "s"
                  + i
                  + " "
                  + count
                  + " (latest "
                  + Metrics.round1(slowestBySecond.get(i) / 1e3)
                  + " ms)");
        }
      }
    }
    r.metric("e2e_slow_seconds", seconds);
    if (seconds > 0) {
      r.note(
          "messages over "
              + SLOW_MICROS / 1000
              + " ms end to end, by second of their intended send: "
              + list
              + (seconds > LISTED_SECONDS
                  ? ", and " + (seconds - LISTED_SECONDS) + " more seconds"
                  : ""));
    }
  }
}
