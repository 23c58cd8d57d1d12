package imps.bench;

import imps.protocol.message.ImpsMessage;
import imps.protocol.message.MessagePush;
import imps.protocol.message.Receipt;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code chat}: U users in friend pairs; each message goes from a user to its partner, open loop at
 * R messages/s in total (one {@link ChatTrial}). With --max, trials on the same connections search
 * for the highest rate that passes ({@link MaxRateSearch}).
 */
@Command(
    name = "chat",
    mixinStandardHelpOptions = true,
    description =
        "Open-loop chat between friend pairs: delivered/s, ack and end-to-end latency, loss.")
public final class ChatScenario implements Scenario, Callable<Integer> {

  @Mixin BenchOptions options = new BenchOptions();

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
      names = "--warm-up",
      defaultValue = "0",
      paramLabel = "SECONDS",
      description =
          "Send at the same rate for this long first, left out of every figure, so that the"
              + " server's JIT compilation is not counted in its CPU per message (default"
              + " ${DEFAULT-VALUE}; not with --max).")
  double warmUp;

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

  @Option(
      names = "--acks",
      description =
          "Opt every connection into the lossless-delivery extensions, as the SDK does by default:"
              + " C_HELLO, S_STORED pushes acknowledged with C_ACK, client message ids, delivery"
              + " receipts to the senders (acknowledged too).")
  boolean acks;

  @Option(
      names = "--no-receipts",
      description =
          "With --acks: do not ask for delivery receipts (C_HELLO without RECEIPTS), to measure"
              + " acknowledged delivery alone.")
  boolean noReceipts;

  private Conn[] conns;
  private final AtomicLong receipts = new AtomicLong();
  private volatile ChatTrial current;
  private final AtomicLong anomalies = new AtomicLong();

  @Override
  public Integer call() throws Exception {
    return ScenarioRunner.run(this, options);
  }

  @Override
  public String name() {
    return (max ? "chat-max" : "chat") + (acks ? "-acks" : "") + (noReceipts ? "-no-receipts" : "");
  }

  @Override
  public String reusePrefix() {
    return "bc_";
  }

  @Override
  public void run(RunContext run, Result r) throws Exception {
    if (users < 2 || users % 2 != 0 || users > 1_000_000) {
      throw new IllegalArgumentException("--users must be even, 2..1000000");
    }
    if (!(rate > 0) || !(duration > 0) || duration > 86_400) {
      throw new IllegalArgumentException(
          "--rate and --duration must be positive (duration <= 1 day)");
    }
    if (!(warmUp >= 0) || warmUp > 86_400 || (max && warmUp > 0)) {
      throw new IllegalArgumentException("--warm-up must be 0..86400 s, and not with --max");
    }
    if (noReceipts && !acks) {
      throw new IllegalArgumentException("--no-receipts goes with --acks");
    }
    r.setting("users", users).setting("body_chars", bodyChars).setting("acks", acks ? 1 : 0);
    if (noReceipts) {
      r.setting("receipts", 0);
    }
    setUp(run.users(), r);
    // Let setup pushes (friend-request outcomes, presence) settle before measuring.
    Thread.sleep(300);
    if (!max) {
      r.setting("rate", rate).setting("duration_s", duration);
      if (warmUp > 0) {
        r.setting("warm_up_s", warmUp);
        runTrial(run.progress(), "warm-up", rate, warmUp);
      }
      run.meter().markStart();
      ChatTrial t = runTrial(run.progress(), "t0", rate, duration);
      run.meter().markEnd(r);
      t.report(r);
      run.meter().recordServerCpuPerMessage(r, t.receivedSoFar());
    } else {
      searchMax(run, r);
    }
    r.metric("client_anomalies", anomalies.get());
    if (acks) {
      r.metric("receipts", receipts.get());
    }
    current = null;
    for (Conn c : conns) {
      c.close();
    }
  }

  /** Registers and logs in the users, and makes each pair friends. */
  private void setUp(UserSetup setup, Result r) throws SetupException {
    setup.register(r, "register", users);
    Conn.Listener listener =
        new Conn.Listener() {
          @Override
          public void onPush(Conn conn, ImpsMessage push) {
            ChatTrial t = current;
            if (t != null && push instanceof MessagePush m) {
              t.received(conn, m);
            } else if (push instanceof Receipt) {
              receipts.incrementAndGet();
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
      conns[i] = new Conn(i, setup.userName(i), listener);
      if (acks) {
        conns[i].optIn(!noReceipts);
      }
      list.add(conns[i]);
    }
    setup.connectAndLogin("login", list);
    List<Conn[]> pairs = new ArrayList<>();
    for (int i = 0; i < users; i += 2) {
      pairs.add(new Conn[] {conns[i], conns[i + 1]});
    }
    setup.befriendAll("befriend", pairs);
  }

  /** --max: trials at the rates {@link MaxRateSearch} picks, one row each, and the best. */
  private void searchMax(RunContext run, Result r) throws InterruptedException {
    r.setting("max_start", maxStart)
        .setting("trial_duration_s", trialDuration)
        .setting("p99_limit_ms", p99LimitMs)
        .setting("drain_limit_ms", drainLimitMs);
    MaxRateSearch search = new MaxRateSearch(maxStart, maxCeiling, maxPrecision, maxTrials);
    Result best = null;
    int n = 0;
    run.meter().markStart();
    for (OptionalDouble next = search.next(); next.isPresent(); next = search.next()) {
      double rt = next.getAsDouble();
      ChatTrial t = runTrial(run.progress(), "t" + n++, rt, trialDuration);
      Result tr = new Result("trial");
      t.report(tr);
      boolean pass = passes(tr, p99LimitMs, drainLimitMs);
      search.record(rt, pass);
      r.trial(trialRow(rt, pass, tr));
      for (String note : tr.notes()) {
        r.note("trial at " + Math.round(rt) + "/s: " + note);
      }
      if (pass && (best == null || rt > best.get("offered_rate_per_s"))) {
        best = tr;
      }
      // Let a failed trial's backlog clear before the next one, bounded.
      Bounded.waitFor(t::settled, Duration.ofSeconds(30));
      Thread.sleep(500);
    }
    run.meter().markEnd(r);
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

  /**
   * Whether a --max trial passes: p99 within its limit, nothing lost, duplicated or refused,
   * everything scheduled sent, and the backlog drained within its limit.
   */
  static boolean passes(Result trial, double p99LimitMs, double drainLimitMs) {
    return trial.get("e2e_p99_ms") <= p99LimitMs
        && trial.get("lost") == 0
        && trial.get("duplicated") == 0
        && trial.get("ack_errors") == 0
        && trial.get("drain_ms") <= drainLimitMs
        && trial.get("sent") == trial.get("scheduled");
  }

  private static Map<String, Object> trialRow(double rate, boolean pass, Result tr) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("rate", rate);
    row.put("pass", pass);
    for (String k :
        List.of(
            "delivered_per_s",
            "e2e_p50_ms",
            "e2e_p99_ms",
            "ack_p99_ms",
            "lost",
            "drain_ms",
            "send_lag_max_ms",
            "e2e_slow_seconds")) {
      row.put(k, tr.get(k));
    }
    return row;
  }

  private ChatTrial runTrial(Progress progress, String tag, double rt, double seconds)
      throws InterruptedException {
    long start = System.nanoTime() + 20_000_000; // 20 ms from now
    RatePacer pacer = new RatePacer(start, rt, RatePacer.totalFor(rt, seconds));
    ChatTrial t = new ChatTrial(tag, pacer, conns, bodyChars);
    current = t;
    progress.phase("chat " + (long) rt + "/s", t::receivedSoFar, t::errors);
    t.send(seconds);
    t.drain(Duration.ofMillis((long) (drainTimeout * 1000)));
    return t;
  }
}
