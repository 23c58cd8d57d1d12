package imps.bench;

import imps.protocol.Presence;
import imps.protocol.message.ImpsMessage;
import imps.protocol.message.StatusNotifyPush;
import imps.protocol.message.StatusNotifyRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntPredicate;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code presence}: users in cliques of F+1 (so each has F friends, all online) switch between
 * online and invisible, open loop at R changes/s; each change is seen by F friends. Latency =
 * notification receive time minus the change's intended send time.
 */
@Command(
    name = "presence",
    mixinStandardHelpOptions = true,
    description = "Users with F friends each change status: notifications/s and latency.")
public final class PresenceScenario implements Scenario, Callable<Integer> {

  @Mixin BenchOptions options = new BenchOptions();

  @Option(
      names = {"-u", "--users"},
      defaultValue = "1000",
      description = "Users, rounded down to a multiple of F+1 (default ${DEFAULT-VALUE}).")
  int users;

  @Option(
      names = {"-f", "--friends"},
      defaultValue = "10",
      description = "Friends per user (default ${DEFAULT-VALUE}).")
  int friends;

  @Option(
      names = {"-r", "--rate"},
      defaultValue = "1000",
      description = "Status changes per second in total (default ${DEFAULT-VALUE}).")
  double rate;

  @Option(
      names = {"-d", "--duration"},
      defaultValue = "10",
      paramLabel = "SECONDS",
      description = "Changing time (default ${DEFAULT-VALUE}).")
  double duration;

  @Option(
      names = "--drain-timeout",
      defaultValue = "10",
      paramLabel = "SECONDS",
      description = "Wait for late notifications at most (default ${DEFAULT-VALUE}).")
  double drainTimeout;

  private final AtomicLong anomalies = new AtomicLong();
  private volatile Trial current;

  @Override
  public Integer call() throws Exception {
    return ScenarioRunner.run(this, options);
  }

  @Override
  public String name() {
    return "presence";
  }

  @Override
  public String reusePrefix() {
    return "bp" + friends + "_";
  }

  @Override
  public void run(RunContext run, Result r) throws Exception {
    Cliques cliques = Cliques.of(users, friends, r);
    int group = cliques.size;
    int u = cliques.users;
    if (!(rate > 0) || !(duration > 0) || duration > 86_400) {
      throw new IllegalArgumentException("--rate and --duration must be positive");
    }
    r.setting("users", u)
        .setting("friends", friends)
        .setting("rate", rate)
        .setting("duration_s", duration);
    UserSetup setup = run.users();
    setup.register(r, "register", u);
    Conn.Listener listener =
        new Conn.Listener() {
          @Override
          public void onPush(Conn conn, ImpsMessage push) {
            Trial t = current;
            if (t != null && push instanceof StatusNotifyPush s) {
              t.notified(conn, s);
            }
          }

          @Override
          public void onAnomaly(Conn conn, String what) {
            anomalies.incrementAndGet();
          }
        };
    Conn[] conns = new Conn[u];
    List<Conn> list = new ArrayList<>();
    for (int i = 0; i < u; i++) {
      conns[i] = new Conn(i, setup.userName(i), listener);
      list.add(conns[i]);
    }
    setup.connectAndLogin("login", list);
    List<Conn[]> pairs = cliques.pairs(conns);
    setup.befriendAll("befriend", pairs);
    // Online: a reused user may be invisible from an aborted run.
    setAll(run, conns, i -> true, Presence.ONLINE);
    Thread.sleep(1000); // let setup notifications settle

    long start = System.nanoTime() + 20_000_000;
    RatePacer pacer = new RatePacer(start, rate, RatePacer.totalFor(rate, duration));
    Trial t = new Trial(pacer, conns, group, setup.prefix());
    current = t;
    run.progress().phase("presence", t.received::get, t::errors);
    run.meter().markStart();
    t.send();
    Bounded.waitFor(t::settled, Duration.ofMillis((long) (drainTimeout * 1000)));
    run.meter().markEnd(r);
    t.report(r);
    current = null;
    r.metric("client_anomalies", anomalies.get());
    // Leave everyone online for the next run with the same users.
    setAll(run, conns, i -> t.changesOf(i) % 2 == 1, Presence.ONLINE);
    for (Conn c : conns) {
      c.close();
    }
  }

  private static void setAll(RunContext run, Conn[] conns, IntPredicate which, Presence status)
      throws SetupException {
    Bounded.Outcome o =
        Bounded.run(
            conns.length,
            run.users().inflight(),
            run.options().timeout(),
            i ->
                which.test(i)
                    ? conns[i].request(new StatusNotifyRequest(conns[i].user, status))
                    : CompletableFuture.completedFuture(null));
    if (o.failed() > 0 || o.timedOut()) {
      throw new SetupException("setting status: " + o);
    }
  }

  /** One run: sends the changes on the calling thread, receives on the event loops. */
  static final class Trial {
    final RatePacer pacer;
    final String prefix;
    final Conn[] conns;
    final int n;
    final int group;
    final int perUser;
    final long[] intended; // [user * perUser + change]
    final int[][] seen; // per receiver, per clique slot: notifications received
    final Recorder latency = new Recorder(3_600_000_000L, 3);
    final AtomicLong acked = new AtomicLong();
    final AtomicLong ackErrors = new AtomicLong();
    final AtomicLong received = new AtomicLong();
    final AtomicLong unexpected = new AtomicLong();
    volatile long lastReceive;
    long sent;
    final Conn.ReplyHandler onAck;

    Trial(RatePacer pacer, Conn[] conns, int group, String prefix) {
      this.pacer = pacer;
      this.prefix = prefix;
      this.conns = conns;
      this.n = conns.length;
      this.group = group;
      this.perUser = (int) ((pacer.total() + n - 1) / n);
      this.intended = new long[Math.max(1, n * perUser)];
      this.seen = new int[n][group];
      this.onAck =
          (c, reply, t0) -> {
            if (Replies.isSuccess(reply)) {
              acked.incrementAndGet();
            } else {
              ackErrors.incrementAndGet();
            }
          };
    }

    long errors() {
      return ackErrors.get() + unexpected.get();
    }

    int changesOf(int user) {
      long total = sent;
      return (int) (total / n + (user < total % n ? 1 : 0));
    }

    void send() {
      long total = pacer.total();
      long hardEnd = pacer.endNanos() + 30_000_000_000L;
      long k = 0;
      while (k < total && System.nanoTime() < hardEnd) {
        long due = pacer.dueAt(System.nanoTime());
        for (; k < due; k++) {
          int user = (int) (k % n);
          int change = (int) (k / n);
          intended[user * perUser + change] = pacer.intendedNanos(k);
          Presence status = change % 2 == 0 ? Presence.INVISIBLE : Presence.ONLINE;
          conns[user].send(new StatusNotifyRequest(conns[user].user, status), 0, onAck);
        }
        if (k < total) {
          long wait = pacer.intendedNanos(k) - System.nanoTime();
          if (wait > 0) {
            LockSupport.parkNanos(wait);
          }
        }
      }
      sent = k;
    }

    void notified(Conn to, StatusNotifyPush s) {
      long now = System.nanoTime();
      String name = s.userName();
      int from;
      try {
        from = Integer.parseInt(name.substring(prefix.length()));
      } catch (RuntimeException e) {
        unexpected.incrementAndGet();
        return;
      }
      if (from < 0 || from >= n || from / group != to.index / group) {
        unexpected.incrementAndGet();
        return;
      }
      int[] mine = seen[to.index];
      int j;
      synchronized (mine) {
        j = mine[from % group]++;
      }
      Presence expectStatus = j % 2 == 0 ? Presence.OFFLINE : Presence.ONLINE;
      if (j >= perUser || s.status() != expectStatus) {
        unexpected.incrementAndGet();
        return;
      }
      long t = intended[from * perUser + j];
      latency.recordValue(Math.max(0, (now - t) / 1000));
      received.incrementAndGet();
      lastReceive = now;
    }

    long expected() {
      return acked.get() * (group - 1);
    }

    boolean settled() {
      return acked.get() + ackErrors.get() >= sent
          && received.get() + unexpected.get() >= expected();
    }

    void report(Result r) {
      Histogram h = latency.getIntervalHistogram();
      double start = pacer.intendedNanos(0);
      double end = Math.max(pacer.endNanos(), lastReceive);
      r.metric("changes_sent", sent);
      r.metric("changes_acked", acked.get());
      r.metric("ack_errors", ackErrors.get());
      r.metric("changes_per_s", Metrics.round1(acked.get() / ((pacer.endNanos() - start) / 1e9)));
      r.metric("notifications_expected", expected());
      r.metric("notifications", received.get());
      r.metric("notifications_per_s", Metrics.round1(received.get() / ((end - start) / 1e9)));
      r.metric("lost", Math.max(0, expected() - received.get()));
      r.metric("unexpected", unexpected.get());
      r.metric("notify_p50_ms", Metrics.ms(h, 50));
      r.metric("notify_p90_ms", Metrics.ms(h, 90));
      r.metric("notify_p99_ms", Metrics.ms(h, 99));
      r.metric("notify_max_ms", Metrics.maxMs(h));
    }
  }
}
