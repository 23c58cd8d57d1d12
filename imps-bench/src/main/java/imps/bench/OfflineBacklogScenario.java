package imps.bench;

import imps.protocol.message.ImpsMessage;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.LoginResponse;
import imps.protocol.message.MessagePush;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code offline-backlog}: a sender stores N messages for an offline friend, then the friend logs
 * in; measures the time from S_LOGIN_RSP until all N arrived (and the store rate on the way). The
 * two friends and the stored backlog are a {@link FriendPair}'s.
 */
@Command(
    name = "offline-backlog",
    mixinStandardHelpOptions = true,
    description =
        "One user with N stored messages logs in: time from S_LOGIN_RSP until all arrived.")
public final class OfflineBacklogScenario implements Scenario, Callable<Integer> {

  @Mixin BenchOptions options = new BenchOptions();

  @Option(
      names = {"-n", "--messages"},
      defaultValue = "10000",
      description = "Stored messages (default ${DEFAULT-VALUE}).")
  int messages;

  @Option(
      names = "--window",
      defaultValue = "128",
      description = "Sends in flight while storing (default ${DEFAULT-VALUE}).")
  int window;

  @Override
  public Integer call() throws Exception {
    return ScenarioRunner.run(this, options);
  }

  @Override
  public String name() {
    return "offline-backlog";
  }

  @Override
  public String reusePrefix() {
    return "bo_";
  }

  @Override
  public void run(RunContext run, Result r) throws Exception {
    if (messages < 1 || messages > 10_000_000 || window < 1) {
      throw new IllegalArgumentException("need 1 <= messages <= 10000000 and window >= 1");
    }
    r.setting("messages", messages).setting("window", window);
    String tag = Names.runId();
    FriendPair pair = FriendPair.logIn(run, r, "s", "r");
    Receiver rx = new Receiver(tag, messages);
    Conn sender = pair.first;
    Conn receiver = pair.second;
    receiver.close();
    Thread.sleep(500); // the server signs the receiver out

    Recorder ackLat = new Recorder(3_600_000_000L, 3);
    Bounded b = pair.store(messages, i -> true, i -> tag + "|" + i, ackLat);
    run.progress().phase("store", b::doneSoFar, b::failedSoFar);
    run.meter().markStart();
    Bounded.Outcome o = b.await(window, run.options().timeout());
    Histogram ah = ackLat.getIntervalHistogram();
    r.metric("stored", o.ok());
    r.metric("store_errors", o.failed());
    r.metric("store_per_s", Metrics.round1(o.ok() / o.seconds()));
    r.metric("store_ack_p50_ms", Metrics.ms(ah, 50));
    r.metric("store_ack_p99_ms", Metrics.ms(ah, 99));
    if (o.failed() > 0 || o.timedOut()) {
      throw new SetupException("storing messages: " + o);
    }

    Conn back =
        new Conn(
            1,
            receiver.user,
            new Conn.Listener() {
              @Override
              public void onPush(Conn conn, ImpsMessage push) {
                if (push instanceof MessagePush m) {
                  rx.received(m);
                }
              }

              @Override
              public void onAnomaly(Conn conn, String what) {
                pair.anomaly();
              }
            });
    run.client().connect(back).get(30, TimeUnit.SECONDS);
    run.progress().phase("backlog", rx.count::get, rx.dup::get);
    long loginSent = System.nanoTime();
    back.send(
        new LoginRequest(back.user, UserSetup.PASSWORD),
        loginSent,
        (c, reply, t0) -> {
          if (reply instanceof LoginResponse) {
            rx.loginRsp = System.nanoTime();
          } else {
            rx.loginFailure = Replies.describeOrClosed(reply);
          }
        });
    boolean all =
        Bounded.waitFor(
            () -> rx.doneAt != 0 || rx.loginFailure != null,
            Duration.ofSeconds(Math.max(10, run.options().timeout().toSeconds())));
    Thread.sleep(100); // catch duplicates that follow right after
    run.meter().markEnd(r);
    if (rx.loginFailure != null) {
      throw new SetupException("receiver login: " + rx.loginFailure);
    }
    r.metric("login_ms", Metrics.round3((rx.loginRsp - loginSent) / 1e6));
    r.metric("received", rx.count.get());
    r.metric("lost", messages - rx.count.get());
    r.metric("duplicated", rx.dup.get());
    r.metric("reordered", rx.reordered.get());
    r.metric("stale_from_earlier_runs", rx.stale.get());
    if (all) {
      double ms = (rx.doneAt - rx.loginRsp) / 1e6;
      r.metric("backlog_ms", Metrics.round3(ms));
      r.metric("backlog_msgs_per_s", Metrics.round1(messages / (ms / 1000)));
    } else {
      r.note("not all messages arrived within the timeout");
    }
    r.metric("client_anomalies", pair.anomalies());
    sender.close();
    back.close();
  }

  /** Counts the pushes of this run's tag, on the receiver's event loop. */
  static final class Receiver {
    final String tag;
    final int expected;
    final SequenceTracker seq = new SequenceTracker();
    final AtomicLong count = new AtomicLong();
    final AtomicLong dup = new AtomicLong();
    final AtomicLong reordered = new AtomicLong();
    final AtomicLong stale = new AtomicLong();
    volatile long loginRsp;
    volatile long doneAt;
    volatile String loginFailure;

    Receiver(String tag, int expected) {
      this.tag = tag;
      this.expected = expected;
    }

    void received(MessagePush m) {
      String b = m.message();
      int bar = b.indexOf('|');
      if (bar != tag.length() || !b.startsWith(tag)) {
        stale.incrementAndGet();
        return;
      }
      long s;
      try {
        s = Long.parseLong(b.substring(bar + 1));
      } catch (NumberFormatException e) {
        stale.incrementAndGet();
        return;
      }
      seq.record(s);
      count.set(seq.received());
      dup.set(seq.duplicated());
      reordered.set(seq.reordered());
      if (seq.received() == expected && doneAt == 0) {
        doneAt = System.nanoTime();
      }
    }
  }
}
