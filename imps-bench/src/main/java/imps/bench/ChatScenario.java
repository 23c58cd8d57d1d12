package imps.bench;

import imps.protocol.ErrorCode;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.ImpsMessage;
import imps.protocol.message.MessagePush;
import imps.protocol.message.SendMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code chat}: U users in friend pairs; each message goes from a user to its partner, open loop at
 * R messages/s in total. The body carries the trial tag, the sequence number of the sender's
 * stream, and the intended send time; end-to-end latency is receive time minus intended send time.
 */
@Command(
    name = "chat",
    mixinStandardHelpOptions = true,
    description =
        "Open-loop chat between friend pairs: delivered/s, ack and end-to-end latency, loss.")
public final class ChatScenario extends Scenario {

  @Option(
      names = {"-u", "--users"},
      defaultValue = "1000",
      description = "Users, in pairs (default ${DEFAULT-VALUE}).")
  int users;

  @Option(
      names = {"-r", "--rate"},
      defaultValue = "5000",
      description = "Messages per second in total (default ${DEFAULT-VALUE}).")
  double rate;

  @Option(
      names = {"-d", "--duration"},
      defaultValue = "20",
      paramLabel = "SECONDS",
      description = "Sending time (default ${DEFAULT-VALUE}).")
  double duration;

  @Option(
      names = "--body-chars",
      defaultValue = "0",
      description =
          "Pad bodies to at least this many characters (default ${DEFAULT-VALUE}: no padding, ~20).")
  int bodyChars;

  @Option(
      names = "--drain-timeout",
      defaultValue = "10",
      paramLabel = "SECONDS",
      description =
          "How long to wait after sending for acks and deliveries (default ${DEFAULT-VALUE}).")
  double drainTimeout;

  @Option(
      names = "--max",
      description =
          "Search for the highest rate sustained (p99 <= --p99-limit, no loss, backlog drained within --drain-limit).")
  boolean max;

  @Option(
      names = "--max-start",
      defaultValue = "1000",
      description = "--max: first rate (default ${DEFAULT-VALUE}).")
  double maxStart;

  @Option(
      names = "--max-ceiling",
      defaultValue = "100000",
      description = "--max: never above (default ${DEFAULT-VALUE}).")
  double maxCeiling;

  @Option(
      names = "--max-precision",
      defaultValue = "0.05",
      description = "--max: stop bisecting within this fraction (default ${DEFAULT-VALUE}).")
  double maxPrecision;

  @Option(
      names = "--max-trials",
      defaultValue = "12",
      description = "--max: at most this many trials (default ${DEFAULT-VALUE}).")
  int maxTrials;

  @Option(
      names = "--trial-duration",
      defaultValue = "10",
      paramLabel = "SECONDS",
      description = "--max: length of each trial (default ${DEFAULT-VALUE}).")
  double trialDuration;

  @Option(
      names = "--p99-limit",
      defaultValue = "100",
      paramLabel = "MS",
      description = "--max: p99 bound (default ${DEFAULT-VALUE}).")
  double p99LimitMs;

  @Option(
      names = "--drain-limit",
      defaultValue = "1000",
      paramLabel = "MS",
      description =
          "--max: backlog must drain within this after the end (default ${DEFAULT-VALUE}).")
  double drainLimitMs;

  private Conn[] conns;
  private volatile Trial current;
  private final AtomicLong anomalies = new AtomicLong();

  @Override
  protected String name() {
    return max ? "chat-max" : "chat";
  }

  @Override
  protected String reusePrefix() {
    return "bc_";
  }

  @Override
  protected void run(Result r) throws Exception {
    if (users < 2 || users % 2 != 0 || users > 1_000_000) {
      throw new IllegalArgumentException("--users must be even, 2..1000000");
    }
    if (!(rate > 0) || !(duration > 0) || duration > 86_400) {
      throw new IllegalArgumentException(
          "--rate and --duration must be positive (duration <= 1 day)");
    }
    r.setting("users", users).setting("body_chars", bodyChars);
    register(r, "register", users, this::userName);
    Conn.Listener listener =
        new Conn.Listener() {
          @Override
          public void onPush(Conn conn, ImpsMessage push) {
            Trial t = current;
            if (t != null && push instanceof MessagePush m) {
              t.received(conn, m);
            }
          }

          @Override
          public void onAnomaly(Conn conn, String what) {
            anomalies.incrementAndGet();
          }
        };
    conns = new Conn[users];
    List<Conn> list = new ArrayList<>();
    for (int i = 0; i < users; i++) {
      conns[i] = new Conn(i, userName(i), listener);
      list.add(conns[i]);
    }
    connectAndLogin("login", list, Math.max(8, common.setupConcurrency * 8));
    List<Conn[]> pairs = new ArrayList<>();
    for (int i = 0; i < users; i += 2) {
      pairs.add(new Conn[] {conns[i], conns[i + 1]});
    }
    befriendAll("befriend", pairs);
    // Let setup pushes (friend-request outcomes, presence) settle before measuring.
    Thread.sleep(300);

    if (!max) {
      r.setting("rate", rate).setting("duration_s", duration);
      markStart();
      Trial t = runTrial("t0", rate, duration);
      markEnd(r);
      t.report(r);
    } else {
      r.setting("max_start", maxStart)
          .setting("trial_duration_s", trialDuration)
          .setting("p99_limit_ms", p99LimitMs)
          .setting("drain_limit_ms", drainLimitMs);
      MaxRateSearch search = new MaxRateSearch(maxStart, maxCeiling, maxPrecision, maxTrials);
      Result best = null;
      int n = 0;
      markStart();
      for (OptionalDouble next = search.next(); next.isPresent(); next = search.next()) {
        double rt = next.getAsDouble();
        Trial t = runTrial("t" + n++, rt, trialDuration);
        Result tr = new Result("trial");
        t.report(tr);
        boolean pass =
            tr.get("e2e_p99_ms") <= p99LimitMs
                && tr.get("lost") == 0
                && tr.get("duplicated") == 0
                && tr.get("ack_errors") == 0
                && tr.get("drain_ms") <= drainLimitMs
                && tr.get("sent") == tr.get("scheduled");
        search.record(rt, pass);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("rate", rt);
        row.put("pass", pass);
        row.put("delivered_per_s", tr.get("delivered_per_s"));
        row.put("e2e_p50_ms", tr.get("e2e_p50_ms"));
        row.put("e2e_p99_ms", tr.get("e2e_p99_ms"));
        row.put("ack_p99_ms", tr.get("ack_p99_ms"));
        row.put("lost", tr.get("lost"));
        row.put("drain_ms", tr.get("drain_ms"));
        row.put("send_lag_max_ms", tr.get("send_lag_max_ms"));
        r.trial(row);
        if (pass && (best == null || rt > best.get("offered_rate_per_s"))) {
          best = tr;
        }
        // Let a failed trial's backlog clear before the next one, bounded.
        waitFor(t::settled, Duration.ofSeconds(30));
        Thread.sleep(500);
      }
      markEnd(r);
      r.metric("max_rate_per_s", search.best());
      r.metric("lowest_failing_rate_per_s", search.lowestFailure());
      r.metric("trials", search.trials());
      if (best != null) {
        for (Map.Entry<String, Number> e : best.metrics().entrySet()) {
          r.metric("at_max_" + e.getKey(), e.getValue());
        }
      } else {
        r.note("no rate passed, not even " + maxStart + "/s; try a lower --max-start");
      }
    }
    r.metric("client_anomalies", anomalies.get());
    current = null;
    for (Conn c : conns) {
      c.close();
    }
  }

  private Trial runTrial(String tag, double rt, double seconds) throws InterruptedException {
    long start = System.nanoTime() + 20_000_000; // 20 ms from now
    RatePacer pacer = new RatePacer(start, rt, RatePacer.totalFor(rt, seconds));
    Trial t = new Trial(tag, pacer, users, conns);
    current = t;
    progress.phase("chat " + (long) rt + "/s", t.receivedCount::get, t::errors);
    t.send(seconds);
    t.drain(Duration.ofMillis((long) (drainTimeout * 1000)));
    return t;
  }

  /** One run at one rate: sends on the calling thread, receives on the event loops. */
  final class Trial {
    final String tag;
    final RatePacer pacer;
    final int n;
    final Conn[] conns;
    final SequenceTracker[] trackers;
    final AtomicIntegerArray ackedPerSender;
    final Recorder e2e = new Recorder(3_600_000_000L, 3);
    final Recorder ack = new Recorder(3_600_000_000L, 3);
    final AtomicLong ackedOk = new AtomicLong();
    final AtomicLong ackErrors = new AtomicLong();
    final AtomicLong ackLost = new AtomicLong();
    final AtomicLong receivedCount = new AtomicLong();
    final AtomicLong stale = new AtomicLong();
    final AtomicLong badBody = new AtomicLong();
    volatile long lastReceive;
    long sent;
    long sendEnd;
    long maxLagNanos;
    final String padding;
    final Conn.ReplyHandler onAck;

    Trial(String tag, RatePacer pacer, int n, Conn[] conns) {
      this.tag = tag;
      this.pacer = pacer;
      this.n = n;
      this.conns = conns;
      this.trackers = new SequenceTracker[n];
      for (int i = 0; i < n; i++) {
        trackers[i] = new SequenceTracker();
      }
      this.ackedPerSender = new AtomicIntegerArray(n);
      this.padding = bodyChars > 0 ? "x".repeat(bodyChars) : "";
      this.onAck =
          (c, reply, t0) -> {
            if (reply == null) {
              ackLost.incrementAndGet();
            } else if (reply instanceof ErrorResponse e && e.code() == ErrorCode.SUCCESS) {
              ack.recordValue(Math.max(0, (System.nanoTime() - t0) / 1000));
              ackedPerSender.incrementAndGet(c.index);
              ackedOk.incrementAndGet();
            } else {
              ackErrors.incrementAndGet();
            }
          };
    }

    long errors() {
      return ackErrors.get() + ackLost.get() + badBody.get();
    }

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
          from.send(new SendMessage(from.user, to.user, body), intended, onAck);
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
        e2e.recordValue(Math.max(0, (now - intended) / 1000));
        receivedCount.incrementAndGet();
        lastReceive = now;
      }
    }

    boolean settled() {
      long acks = ackedOk.get() + ackErrors.get() + ackLost.get();
      return acks >= sent && receivedCount.get() >= ackedOk.get();
    }

    void drain(Duration max) throws InterruptedException {
      waitFor(this::settled, max);
    }

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
      r.metric(
          "offered_rate_per_s", Math.round(pacer.total() / ((pacer.endNanos() - start) / 1e9)));
      r.metric("scheduled", pacer.total());
      r.metric("sent", sent);
      r.metric("acked", ackedOk.get());
      r.metric("ack_errors", ackErrors.get());
      r.metric(
          "unacked",
          ackLost.get() + Math.max(0, sent - ackedOk.get() - ackErrors.get() - ackLost.get()));
      r.metric("received", received);
      r.metric("delivered_per_s", round1(received / ((end - start) / 1e9)));
      r.metric("lost", lost);
      r.metric("duplicated", dup);
      r.metric("reordered", reordered);
      r.metric("stale_from_earlier_runs", stale.get());
      r.metric("bad_bodies", badBody.get());
      r.metric("ack_p50_ms", ms(a, 50));
      r.metric("ack_p99_ms", ms(a, 99));
      r.metric("ack_max_ms", round3(a.getMaxValue() / 1000.0));
      r.metric("e2e_p50_ms", ms(h, 50));
      r.metric("e2e_p90_ms", ms(h, 90));
      r.metric("e2e_p99_ms", ms(h, 99));
      r.metric("e2e_p99_9_ms", ms(h, 99.9));
      r.metric("e2e_max_ms", round3(h.getMaxValue() / 1000.0));
      r.metric("drain_ms", round1(drainNanos / 1e6));
      r.metric("send_lag_max_ms", round1(maxLagNanos / 1e6));
    }
  }

  static double ms(Histogram h, double percentile) {
    return h.getTotalCount() == 0
        ? Double.NaN
        : round3(h.getValueAtPercentile(percentile) / 1000.0);
  }
}
