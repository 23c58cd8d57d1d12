package imps.bench;

import imps.protocol.Feature;
import imps.protocol.message.ImpsMessage;
import imps.protocol.message.LiveLocationsRequest;
import imps.protocol.message.LocationPush;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code live-locations}: U users in {@link Cliques} of F+1 (F friends each, all online), every
 * connection opted into LIVE_LOCATIONS and asking for them; each user sends one fix per interval in
 * a heartbeat, spread evenly, and each fix reaches its F friends as S_LOCATION, coalesced by the
 * server. Reports pushes/s against the expected count, push lateness and the server's CPU (the
 * {@link LiveLocationTrial}).
 */
@Command(
    name = "live-locations",
    mixinStandardHelpOptions = true,
    description =
        "Users with F friends each send a fix every interval: S_LOCATION pushes/s, lateness and"
            + " server CPU.")
public final class LiveLocationsScenario implements Scenario, Callable<Integer> {

  @Mixin BenchOptions options = new BenchOptions();

  @Option(
      names = {"-u", "--users"},
      defaultValue = "10000",
      description = "Users, rounded down to a multiple of F+1 (default ${DEFAULT-VALUE}).")
  int users;

  @Option(
      names = {"-f", "--friends"},
      defaultValue = "50",
      description = "Friends per user (default ${DEFAULT-VALUE}).")
  int friends;

  @Option(
      names = "--interval",
      defaultValue = "10",
      paramLabel = "SECONDS",
      description = "Each user sends one fix per this, spread evenly (default ${DEFAULT-VALUE}).")
  double interval;

  @Option(
      names = {"-d", "--duration"},
      defaultValue = "60",
      paramLabel = "SECONDS",
      description = "Sending time, rounded to whole intervals (default ${DEFAULT-VALUE}).")
  double duration;

  @Option(
      names = "--live-interval",
      defaultValue = "5",
      paramLabel = "SECONDS",
      description =
          "The server's location.live-interval, for the expected pushes (default"
              + " ${DEFAULT-VALUE}).")
  double liveInterval;

  @Option(
      names = "--drain-timeout",
      defaultValue = "15",
      paramLabel = "SECONDS",
      description =
          "Wait for late and held-back pushes at most (default ${DEFAULT-VALUE}; more than"
              + " --live-interval).")
  double drainTimeout;

  private final AtomicLong anomalies = new AtomicLong();
  private volatile LiveLocationTrial current;

  @Override
  public Integer call() throws Exception {
    return ScenarioRunner.run(this, options);
  }

  @Override
  public String name() {
    return "live-locations";
  }

  @Override
  public String reusePrefix() {
    return "bv" + friends + "_";
  }

  @Override
  public int sourceAddresses() {
    // The setup's connections, closed by then, may still hold their ports (TIME_WAIT).
    return Math.max(1, (users + 4_999) / 5_000);
  }

  @Override
  public void run(RunContext run, Result r) throws Exception {
    Cliques cliques = Cliques.of(users, friends, r);
    int u = cliques.users;
    if (!(interval >= 0.01) || interval > 3600 || !(duration > 0) || duration > 86_400) {
      throw new IllegalArgumentException(
          "need 0.01 <= --interval <= 3600 and 0 < --duration <= 86400");
    }
    if (!(liveInterval >= 0) || !(drainTimeout > liveInterval) || drainTimeout > 3600) {
      throw new IllegalArgumentException(
          "need --live-interval >= 0 and --live-interval < --drain-timeout <= 3600");
    }
    int perUser = (int) Math.max(1, Math.round(duration / interval));
    r.setting("users", u)
        .setting("friends", friends)
        .setting("interval_s", interval)
        .setting("duration_s", perUser * interval)
        .setting("fixes_per_user", perUser)
        .setting("live_interval_s", liveInterval)
        .setting("source_addresses", run.client().sourceAddressCount());
    for (String msg :
        OsLimits.warnings(u, run.meter().serverPid(), run.client().sourceAddressCount())) {
      r.note(msg);
      run.out().println("bench: warning: " + msg);
    }
    cliques.befriendByClique(run, r);

    UserSetup setup = run.users();
    Conn.Listener listener =
        new Conn.Listener() {
          @Override
          public void onPush(Conn conn, ImpsMessage push) {
            LiveLocationTrial t = current;
            if (t != null && push instanceof LocationPush p) {
              t.pushed(conn, p);
            }
          }

          @Override
          public void onAnomaly(Conn conn, String what) {
            anomalies.incrementAndGet();
          }
        };
    Conn[] conns = new Conn[u];
    for (int i = 0; i < u; i++) {
      conns[i] = new Conn(i, setup.userName(i), listener);
      conns[i].askFor(EnumSet.of(Feature.LIVE_LOCATIONS));
    }
    setup.connectAndLogin("login", List.of(conns));
    Bounded.Outcome on =
        Bounded.run(
            u,
            setup.inflight(),
            run.options().timeout(),
            i ->
                conns[i]
                    .request(new LiveLocationsRequest(true))
                    .thenApply(
                        reply -> {
                          if (!Replies.isSuccess(reply)) {
                            throw new IllegalStateException(
                                "C_LIVE_LOCATIONS: " + Replies.describe(reply));
                          }
                          return reply;
                        }));
    if (on.failed() > 0 || on.timedOut()) {
      throw new SetupException("asking for live locations: " + on);
    }
    Thread.sleep(1000); // let the logins' presence pushes settle

    LiveLocationTrial t =
        new LiveLocationTrial(
            cliques,
            conns,
            setup.prefix(),
            perUser,
            interval,
            liveInterval,
            System.nanoTime() + 20_000_000);
    current = t;
    run.progress().phase("live-locations", t.received::get, t::errors);
    // The CPU window is the sending schedule: steady load, without the drain's quiet tail.
    run.meter().markStart();
    t.send();
    run.meter().markEnd(r);
    Bounded.waitFor(t::settled, Duration.ofMillis((long) (drainTimeout * 1000)));
    t.report(r);
    current = null;
    r.metric("client_anomalies", anomalies.get());
    for (Conn c : conns) {
      c.close();
    }
  }
}
