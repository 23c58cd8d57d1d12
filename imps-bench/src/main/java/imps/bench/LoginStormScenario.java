package imps.bench;

import imps.protocol.message.LoginRequest;
import imps.protocol.message.LoginResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code login-storm}: U registered users connect and log in at once, a bounded number in flight.
 */
@Command(
    name = "login-storm",
    mixinStandardHelpOptions = true,
    description = "U registered users connect and log in at once: logins/s and per-login latency.")
public final class LoginStormScenario implements Scenario, Callable<Integer> {

  @Mixin BenchOptions options = new BenchOptions();

  @Option(
      names = {"-u", "--users"},
      defaultValue = "5000",
      description = "Users (default ${DEFAULT-VALUE}).")
  int users;

  @Option(
      names = "--inflight",
      defaultValue = "200",
      description = "Logins in flight at most (default ${DEFAULT-VALUE}).")
  int inflight;

  @Option(
      names = "--rounds",
      defaultValue = "2",
      description =
          "Storms in a row; round 1 may pay for cold caches, later ones are returning users (default ${DEFAULT-VALUE}).")
  int rounds;

  private final AnomalyCounter anomalies = new AnomalyCounter();

  @Override
  public Integer call() throws Exception {
    return ScenarioRunner.run(this, options);
  }

  @Override
  public String name() {
    return "login-storm";
  }

  @Override
  public String reusePrefix() {
    return "bl_";
  }

  @Override
  public void run(RunContext run, Result r) throws Exception {
    if (users < 1 || users > 1_000_000 || inflight < 1 || rounds < 1 || rounds > 100) {
      throw new IllegalArgumentException(
          "need 1 <= users <= 1000000, inflight >= 1, 1 <= rounds <= 100");
    }
    r.setting("users", users).setting("inflight", inflight).setting("rounds", rounds);
    run.users().register(r, "register", users);
    Result last = null;
    run.meter().markStart();
    for (int round = 1; round <= rounds; round++) {
      Result rr = new Result("round");
      storm(run, rr, anomalies);
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("round", round);
      rr.metrics().forEach(row::put);
      r.trial(row);
      last = rr;
      Thread.sleep(500); // let the server finish signing the users out
    }
    run.meter().markEnd(r);
    last.metrics().forEach(r::metric);
    r.metric("client_anomalies", anomalies.anomalies());
  }

  private void storm(RunContext run, Result r, Conn.Listener listener) {
    List<Conn> conns = new ArrayList<>(users);
    for (int i = 0; i < users; i++) {
      conns.add(new Conn(i, run.users().userName(i), listener));
    }
    Recorder loginLat = new Recorder(3_600_000_000L, 3);
    Recorder totalLat = new Recorder(3_600_000_000L, 3);
    AtomicLong wrong = new AtomicLong();
    Bounded b =
        Bounded.start(
            users,
            i -> {
              Conn c = conns.get(i);
              long t0 = System.nanoTime();
              return run.client()
                  .connect(c)
                  .thenCompose(
                      cc -> {
                        CompletableFuture<Void> f = new CompletableFuture<>();
                        long t1 = System.nanoTime();
                        cc.send(
                            new LoginRequest(cc.user, UserSetup.PASSWORD),
                            t1,
                            (conn, reply, sent) -> {
                              long now = System.nanoTime();
                              if (reply instanceof LoginResponse) {
                                loginLat.recordValue((now - sent) / 1000);
                                totalLat.recordValue((now - t0) / 1000);
                                f.complete(null);
                              } else {
                                wrong.incrementAndGet();
                                f.completeExceptionally(
                                    new IllegalStateException(
                                        "login "
                                            + conn.user
                                            + ": "
                                            + Replies.describeOrClosed(reply)));
                              }
                            });
                        return f;
                      });
            });
    run.progress().phase("logins", b::doneSoFar, b::failedSoFar);
    Bounded.Outcome o = b.await(inflight, run.options().timeout());
    Histogram h = loginLat.getIntervalHistogram();
    Histogram t = totalLat.getIntervalHistogram();
    r.metric("logged_in", o.ok());
    r.metric("failed", o.failed());
    r.metric("timed_out", o.timedOut() ? 1 : 0);
    r.metric("logins_per_s", Metrics.round1(o.ok() / o.seconds()));
    r.metric("login_p50_ms", Metrics.ms(h, 50));
    r.metric("login_p99_ms", Metrics.ms(h, 99));
    r.metric("login_max_ms", Metrics.maxMs(h));
    r.metric("connect_login_p99_ms", Metrics.ms(t, 99));
    if (o.first() != null) {
      r.note("first failure: " + o.first());
    }
    for (Conn c : conns) {
      c.close();
    }
  }
}
