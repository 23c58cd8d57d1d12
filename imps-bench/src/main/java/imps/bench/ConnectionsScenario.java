package imps.bench;

import imps.protocol.message.HeartbeatRequest;
import imps.protocol.message.HeartbeatResponse;
import imps.protocol.message.ImpsMessage;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.LoginResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code connections}: opens C connections, logs all in, keeps them alive with heartbeats for D
 * seconds; reports connections held, logins/s, server RSS and heap. Stops plainly at an OS limit.
 */
@Command(
    name = "connections",
    mixinStandardHelpOptions = true,
    description =
        "Opens C connections, logs all in, holds them with heartbeats: held, logins/s, server RSS/heap.")
public final class ConnectionsScenario implements Scenario, Callable<Integer> {

  @Mixin BenchOptions options = new BenchOptions();

  @Option(
      names = {"-c", "--connections"},
      defaultValue = "10000",
      description = "Connections, one user each (default ${DEFAULT-VALUE}).")
  int connections;

  @Option(
      names = {"-d", "--duration"},
      defaultValue = "60",
      paramLabel = "SECONDS",
      description = "Holding time after all are logged in (default ${DEFAULT-VALUE}).")
  double duration;

  @Option(
      names = "--heartbeat",
      defaultValue = "60",
      paramLabel = "SECONDS",
      description = "Heartbeat interval per connection, spread evenly (default ${DEFAULT-VALUE}).")
  double heartbeat;

  @Option(
      names = "--inflight",
      defaultValue = "500",
      description = "Connects+logins in flight at most (default ${DEFAULT-VALUE}).")
  int inflight;

  @Option(
      names = "--source-addresses",
      defaultValue = "0",
      description =
          "Loopback source addresses 127.0.0.2.. to spread sockets over (default 0 = one per 10,000 connections: ports stay in TIME_WAIT for a minute after a run).")
  int sourceAddresses;

  private static final double MIB = 1048576.0;

  private final AtomicLong anomalies = new AtomicLong();
  private final AtomicLong closedByServer = new AtomicLong();
  private volatile boolean holding;

  @Override
  public Integer call() throws Exception {
    return ScenarioRunner.run(this, options);
  }

  @Override
  public String name() {
    return "connections";
  }

  @Override
  public String reusePrefix() {
    return "bn_";
  }

  @Override
  public int sourceAddresses() {
    return sourceAddresses > 0 ? sourceAddresses : Math.max(1, (connections + 9_999) / 10_000);
  }

  @Override
  public void run(RunContext run, Result r) throws Exception {
    if (connections < 1 || connections > 1_000_000 || !(duration >= 0) || !(heartbeat > 0)) {
      throw new IllegalArgumentException(
          "need 1 <= connections <= 1000000, duration >= 0, heartbeat > 0");
    }
    r.setting("connections", connections)
        .setting("duration_s", duration)
        .setting("heartbeat_s", heartbeat)
        .setting("source_addresses", run.client().sourceAddressCount());
    checkLimits(run, r);
    run.users().register(r, "register", connections);
    // Before and after, with a full collection each time: the growth divided by the connections
    // is what one more logged-in connection costs, which is what extrapolates to larger C.
    RunMeter meter = run.meter();
    long liveHeap0 = meter.serverLiveHeapBytes();
    long rss0 = meter.serverRssBytes();

    Conn.Listener listener =
        new Conn.Listener() {
          @Override
          public void onPush(Conn conn, ImpsMessage push) {}

          @Override
          public void onClosed(Conn conn) {
            if (holding) {
              closedByServer.incrementAndGet();
            }
          }

          @Override
          public void onAnomaly(Conn conn, String what) {
            anomalies.incrementAndGet();
          }
        };
    Conn[] conns = new Conn[connections];
    for (int i = 0; i < connections; i++) {
      conns[i] = new Conn(i, run.users().userName(i), listener);
    }
    connectAll(run, r, conns);
    long held = hold(run, r, conns);
    r.metric("bench_rss_mib", Metrics.round1(ProcStats.rssBytes(ProcStats.selfPid()) / MIB));
    if (meter.knowsServer()) {
      long pid = meter.serverPid();
      r.metric("server_open_files", ProcStats.openFiles(pid));
      r.metric("server_threads", ProcStats.threads(pid));
      long rss = meter.serverRssBytes();
      meter.recordServerRss(r);
      long liveHeap = meter.serverLiveHeapBytes();
      if (liveHeap >= 0) {
        r.metric("server_live_heap_mib", Metrics.round1(liveHeap / MIB));
      }
      if (held > 0 && liveHeap >= 0 && liveHeap0 >= 0) {
        r.metric(
            "server_live_heap_kib_per_conn",
            Metrics.round3((liveHeap - liveHeap0) / 1024.0 / held));
      }
      if (held > 0 && rss >= 0 && rss0 >= 0) {
        r.metric("server_rss_growth_kib_per_conn", Metrics.round3((rss - rss0) / 1024.0 / held));
      }
    }
    r.metric("client_anomalies", anomalies.get());
    for (Conn c : conns) {
      c.close();
    }
  }

  /**
   * Connects and logs in every connection, {@code --inflight} at a time; the measured phase starts
   * here. Stops opening connections at the first failure that means an OS limit.
   */
  private void connectAll(RunContext run, Result r, Conn[] conns) {
    AtomicReference<String> osLimit = new AtomicReference<>();
    Recorder lat = new Recorder(3_600_000_000L, 3);
    Bounded b =
        Bounded.start(
            connections,
            i -> {
              if (osLimit.get() != null) {
                return CompletableFuture.failedFuture(new IllegalStateException(osLimit.get()));
              }
              long t0 = System.nanoTime();
              return run.client()
                  .connect(conns[i])
                  .whenComplete(
                      (c, e) -> {
                        if (e != null) {
                          String why = OsLimits.explain(e);
                          if (why != null) {
                            osLimit.compareAndSet(null, why);
                          }
                        }
                      })
                  .thenCompose(c -> login(c, t0, lat));
            });
    run.progress().phase("connect+login", b::doneSoFar, b::failedSoFar);
    run.meter().markStart();
    Bounded.Outcome o = b.await(inflight, run.options().timeout());
    Histogram h = lat.getIntervalHistogram();
    r.metric("logged_in", o.ok());
    r.metric("login_failures", o.failed());
    r.metric("logins_per_s", Metrics.round1(o.ok() / o.seconds()));
    r.metric("connect_login_p50_ms", Metrics.ms(h, 50));
    r.metric("connect_login_p99_ms", Metrics.ms(h, 99));
    if (osLimit.get() != null) {
      r.note("STOPPED BY AN OS LIMIT: " + osLimit.get());
      run.out().println("\nbench: " + osLimit.get());
    } else if (o.first() != null) {
      r.note("first failure: " + o.first());
    }
  }

  /** Logs {@code c} in, recording the time since {@code t0} (before connecting) in {@code lat}. */
  private static CompletableFuture<Void> login(Conn c, long t0, Recorder lat) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    c.send(
        new LoginRequest(c.user, UserSetup.PASSWORD),
        t0,
        (cc, reply, start) -> {
          if (reply instanceof LoginResponse) {
            cc.attachment = Boolean.TRUE; // logged in
            lat.recordValue((System.nanoTime() - start) / 1000);
            f.complete(null);
          } else {
            f.completeExceptionally(
                new IllegalStateException(
                    "login " + cc.user + ": " + Replies.describeOrClosed(reply)));
          }
        });
    return f;
  }

  /**
   * Holds the connections for --duration with heartbeats spread evenly, so that each connection
   * sends one per interval; ends the measured phase and returns the connections still held.
   */
  private long hold(RunContext run, Result r, Conn[] conns) throws InterruptedException {
    holding = true;
    AtomicLong hbOk = new AtomicLong();
    AtomicLong hbErr = new AtomicLong();
    AtomicLong hbSent = new AtomicLong();
    Conn.ReplyHandler onHb =
        (c, reply, t0) -> {
          if (reply instanceof HeartbeatResponse) {
            hbOk.incrementAndGet();
          } else {
            hbErr.incrementAndGet();
          }
        };
    run.progress().phase("holding", hbOk::get, hbErr::get);
    long start = System.nanoTime();
    long end = start + (long) (duration * 1e9);
    double perNano = connections / (heartbeat * 1e9);
    long cursor = 0;
    while (System.nanoTime() < end) {
      long due = (long) ((System.nanoTime() - start) * perNano);
      for (; cursor < due; cursor++) {
        Conn c = conns[(int) (cursor % connections)];
        if (c.isOpen()) {
          hbSent.incrementAndGet();
          c.send(new HeartbeatRequest(c.user, List.of()), 0, onHb);
        }
      }
      Thread.sleep(Math.min(100, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
    }
    Bounded.waitFor(() -> hbOk.get() + hbErr.get() >= hbSent.get(), Duration.ofSeconds(5));
    long held = 0;
    for (Conn c : conns) {
      if (c.isOpen() && c.attachment == Boolean.TRUE) {
        held++;
      }
    }
    holding = false;
    run.meter().markEnd(r);
    r.metric("held", held);
    r.metric("closed_while_holding", closedByServer.get());
    r.metric("heartbeats_ok", hbOk.get());
    r.metric("heartbeat_errors", hbErr.get());
    return held;
  }

  /** Notes and prints what keeps the connections from fitting under the OS limits. */
  private void checkLimits(RunContext run, Result r) {
    for (String msg :
        OsLimits.warnings(
            connections, run.meter().serverPid(), run.client().sourceAddressCount())) {
      r.note(msg);
      run.out().println("bench: warning: " + msg);
    }
  }
}
