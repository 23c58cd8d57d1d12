package imps.bench;

import imps.protocol.message.HeartbeatRequest;
import imps.protocol.message.HeartbeatResponse;
import imps.protocol.message.ImpsMessage;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.LoginResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import picocli.CommandLine.Command;
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
public final class ConnectionsScenario extends Scenario {

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

  /** Read up front: once the descriptors are gone, /proc/self/limits cannot be opened either. */
  private static final long OWN_FD_LIMIT = ProcStats.maxOpenFiles(ProcStats.selfPid());

  private final AtomicLong anomalies = new AtomicLong();
  private final AtomicLong closedByServer = new AtomicLong();
  private volatile boolean holding;

  @Override
  protected String name() {
    return "connections";
  }

  @Override
  protected String reusePrefix() {
    return "bn_";
  }

  @Override
  protected int sourceAddresses() {
    return sourceAddresses > 0 ? sourceAddresses : Math.max(1, (connections + 9_999) / 10_000);
  }

  @Override
  protected void run(Result r) throws Exception {
    if (connections < 1 || connections > 1_000_000 || !(duration >= 0) || !(heartbeat > 0)) {
      throw new IllegalArgumentException(
          "need 1 <= connections <= 1000000, duration >= 0, heartbeat > 0");
    }
    r.setting("connections", connections)
        .setting("duration_s", duration)
        .setting("heartbeat_s", heartbeat)
        .setting("source_addresses", client.sourceAddressCount());
    checkLimits(r);
    register(r, "register", connections, this::userName);
    // Before and after, with a full collection each time: the growth divided by the connections
    // is what one more logged-in connection costs, which is what extrapolates to larger C.
    long liveHeap0 = serverPid > 0 ? ProcStats.liveHeapBytes(serverPid) : -1;
    long rss0 = serverPid > 0 ? ProcStats.rssBytes(serverPid) : -1;

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
      conns[i] = new Conn(i, userName(i), listener);
    }
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
              return client
                  .connect(conns[i])
                  .whenComplete(
                      (c, e) -> {
                        if (e != null) {
                          String why = explain(e);
                          if (why != null) {
                            osLimit.compareAndSet(null, why);
                          }
                        }
                      })
                  .thenCompose(
                      c -> {
                        CompletableFuture<Void> f = new CompletableFuture<>();
                        c.send(
                            new LoginRequest(c.user, PASSWORD),
                            t0,
                            (cc, reply, start) -> {
                              if (reply instanceof LoginResponse) {
                                cc.attachment = Boolean.TRUE; // logged in
                                lat.recordValue((System.nanoTime() - start) / 1000);
                                f.complete(null);
                              } else {
                                f.completeExceptionally(
                                    new IllegalStateException(
                                        "login "
                                            + cc.user
                                            + ": "
                                            + (reply == null ? "closed" : describe(reply))));
                              }
                            });
                        return f;
                      });
            });
    progress.phase("connect+login", b::doneSoFar, b::failedSoFar);
    markStart();
    Bounded.Outcome o = b.await(inflight, Duration.ofSeconds(common.timeoutSeconds));
    Histogram h = lat.getIntervalHistogram();
    r.metric("logged_in", o.ok());
    r.metric("login_failures", o.failed());
    r.metric("logins_per_s", round1(o.ok() / o.seconds()));
    r.metric("connect_login_p50_ms", ChatScenario.ms(h, 50));
    r.metric("connect_login_p99_ms", ChatScenario.ms(h, 99));
    if (osLimit.get() != null) {
      r.note("STOPPED BY AN OS LIMIT: " + osLimit.get());
      out.println("\nbench: " + osLimit.get());
    } else if (o.first() != null) {
      r.note("first failure: " + o.first());
    }

    // Hold: heartbeats spread evenly so that each connection sends one per interval.
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
    progress.phase("holding", hbOk::get, hbErr::get);
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
    waitFor(() -> hbOk.get() + hbErr.get() >= hbSent.get(), Duration.ofSeconds(5));
    long held = 0;
    for (Conn c : conns) {
      if (c.isOpen() && c.attachment == Boolean.TRUE) {
        held++;
      }
    }
    holding = false;
    markEnd(r);
    r.metric("held", held);
    r.metric("closed_while_holding", closedByServer.get());
    r.metric("heartbeats_ok", hbOk.get());
    r.metric("heartbeat_errors", hbErr.get());
    r.metric("bench_rss_mib", round1(ProcStats.rssBytes(ProcStats.selfPid()) / 1048576.0));
    if (serverPid > 0) {
      r.metric("server_open_files", ProcStats.openFiles(serverPid));
      r.metric("server_threads", ProcStats.threads(serverPid));
      long rss = ProcStats.rssBytes(serverPid);
      serverMemory(r);
      long liveHeap = ProcStats.liveHeapBytes(serverPid);
      if (liveHeap >= 0) {
        r.metric("server_live_heap_mib", round1(liveHeap / 1048576.0));
      }
      if (held > 0 && liveHeap >= 0 && liveHeap0 >= 0) {
        r.metric("server_live_heap_kib_per_conn", round3((liveHeap - liveHeap0) / 1024.0 / held));
      }
      if (held > 0 && rss >= 0 && rss0 >= 0) {
        r.metric("server_rss_growth_kib_per_conn", round3((rss - rss0) / 1024.0 / held));
      }
    }
    r.metric("client_anomalies", anomalies.get());
    for (Conn c : conns) {
      c.close();
    }
  }

  /** Says which OS limit a connect failure means and how to raise it, or null if none. */
  static String explain(Throwable e) {
    String m = String.valueOf(e.getMessage()) + " " + e;
    for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
      m += " " + c;
    }
    m = m.toLowerCase(Locale.ROOT);
    if (m.contains("too many open files")) {
      return "the bench process ran out of file descriptors (ulimit -n is "
          + OWN_FD_LIMIT
          + "). Raise it in this shell before running, e.g. `ulimit -n 1048576` (the hard limit"
          + " is in /etc/security/limits.conf; the system-wide ceilings are fs.nr_open and"
          + " fs.file-max). The server needs the same.";
    }
    if (m.contains("cannot assign requested address") || m.contains("address already in use")) {
      int[] range = ProcStats.localPortRange();
      return "no free local port (ephemeral range "
          + (range == null ? "unknown" : range[0] + "-" + range[1])
          + " per source address; ports of a previous run stay in TIME_WAIT for 60 s). Use more"
          + " source addresses (--source-addresses N) or widen"
          + " the range: `sysctl -w net.ipv4.ip_local_port_range=\"1024 65535\"`.";
    }
    return null;
  }

  private void checkLimits(Result r) {
    long self = ProcStats.maxOpenFiles(ProcStats.selfPid());
    if (self > 0 && self < connections + 100L) {
      String msg =
          "the bench's open-files limit (ulimit -n = "
              + self
              + ") is below "
              + connections
              + " connections; raise it with `ulimit -n "
              + Math.max(65536, connections * 2L)
              + "` in the shell that runs the bench";
      r.note(msg);
      out.println("bench: warning: " + msg);
    }
    if (serverPid > 0 && serverPid != ProcStats.selfPid()) {
      long srv = ProcStats.maxOpenFiles(serverPid);
      if (srv > 0 && srv < connections + 100L) {
        String msg =
            "the server's open-files limit (pid "
                + serverPid
                + ", "
                + srv
                + ") is below "
                + connections
                + "; restart it from a shell with a higher `ulimit -n`";
        r.note(msg);
        out.println("bench: warning: " + msg);
      }
    }
    int[] range = ProcStats.localPortRange();
    if (range != null) {
      long ports = (long) (range[1] - range[0] + 1) * client.sourceAddressCount();
      if (ports < connections) {
        String msg =
            "ephemeral ports: "
                + ports
                + " over "
                + client.sourceAddressCount()
                + " source address(es) < "
                + connections
                + "; use --source-addresses or widen net.ipv4.ip_local_port_range";
        r.note(msg);
        out.println("bench: warning: " + msg);
      }
    }
  }
}
