package imps.bench;

import imps.protocol.message.HistoryPage;
import imps.protocol.message.HistoryRequest;
import imps.protocol.message.ImpsMessage;
import imps.protocol.message.SendMessage;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code history}: N messages stored between two friends (both directions), then one of them, opted
 * into HISTORY, pages back through the conversation with C_HISTORY, one request at a time; measures
 * each page's round trip (an upper bound of the server's time for it).
 */
@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    description =
        "N stored messages between two friends; time of C_HISTORY pages (newest first, paging"
            + " back), one at a time.")
public final class HistoryScenario implements Scenario, Callable<Integer> {

  @Mixin BenchOptions options = new BenchOptions();

  @Option(
      names = {"-n", "--messages"},
      defaultValue = "100000",
      description =
          "Messages to store first (default ${DEFAULT-VALUE}; 0 = reuse the stored ones).")
  int messages;

  @Option(
      names = "--pages",
      defaultValue = "1000",
      description =
          "Pages to ask for (default ${DEFAULT-VALUE}); from the newest again at the end.")
  int pages;

  @Option(
      names = "--page-size",
      defaultValue = "100",
      description = "Messages per page, 1..100 (default ${DEFAULT-VALUE}).")
  int pageSize;

  @Option(
      names = "--window",
      defaultValue = "128",
      description = "Sends in flight while storing (default ${DEFAULT-VALUE}).")
  int window;

  private final AtomicLong anomalies = new AtomicLong();

  @Override
  public Integer call() throws Exception {
    return ScenarioRunner.run(this, options);
  }

  @Override
  public String name() {
    return "history";
  }

  @Override
  public String reusePrefix() {
    return "bh_";
  }

  @Override
  public void run(RunContext run, Result r) throws Exception {
    if (messages < 0 || messages > 10_000_000 || pages < 1 || pageSize < 1 || pageSize > 100) {
      throw new IllegalArgumentException(
          "need 0 <= messages <= 10000000, pages >= 1 and 1 <= page-size <= 100");
    }
    r.setting("messages", messages).setting("pages", pages).setting("page_size", pageSize);
    UserSetup setup = run.users();
    setup.register(r, "register", 2, i -> setup.prefix() + (i == 0 ? "a" : "b"));
    Conn.Listener ignore =
        new Conn.Listener() {
          @Override
          public void onPush(Conn conn, ImpsMessage push) {}

          @Override
          public void onAnomaly(Conn conn, String what) {
            anomalies.incrementAndGet();
          }
        };
    Conn a = new Conn(0, setup.prefix() + "a", ignore);
    Conn b = new Conn(1, setup.prefix() + "b", ignore);
    setup.connectAndLogin("login", List.of(a, b), 2);
    setup.befriendAll("befriend", List.<Conn[]>of(new Conn[] {a, b}));

    if (messages > 0) {
      Bounded stored =
          Bounded.start(
              messages,
              i -> {
                Conn from = i % 2 == 0 ? a : b;
                Conn to = i % 2 == 0 ? b : a;
                CompletableFuture<Void> f = new CompletableFuture<>();
                from.send(
                    new SendMessage(from.user, to.user, "history " + i),
                    System.nanoTime(),
                    (c, reply, t0) -> {
                      if (Replies.isSuccess(reply)) {
                        f.complete(null);
                      } else {
                        f.completeExceptionally(
                            new IllegalStateException("send: " + Replies.describeOrClosed(reply)));
                      }
                    });
                return f;
              });
      run.progress().phase("store", stored::doneSoFar, stored::failedSoFar);
      Bounded.Outcome o = stored.await(window, run.options().timeout());
      r.metric("stored", o.ok());
      r.metric("store_per_s", Metrics.round1(o.ok() / o.seconds()));
      if (o.failed() > 0 || o.timedOut()) {
        throw new SetupException("storing messages: " + o);
      }
    }
    a.close();

    Conn reader = new Conn(0, a.user, ignore);
    reader.optIn();
    setup.connectAndLogin("reader login", List.of(reader), 1);
    Histogram lat = new Histogram(3_600_000_000L, 3);
    AtomicLong done = new AtomicLong();
    run.progress().phase("pages", done::get, () -> 0L);
    run.meter().markStart();
    long from = 0;
    long items = 0;
    for (int p = 0; p < pages; p++) {
      long t0 = System.nanoTime();
      ImpsMessage reply =
          reader
              .request(new HistoryRequest(b.user, from, false, pageSize))
              .get(run.options().timeout().toSeconds(), TimeUnit.SECONDS);
      lat.recordValue((System.nanoTime() - t0) / 1000);
      if (!(reply instanceof HistoryPage page)) {
        throw new SetupException("C_HISTORY: " + Replies.describeOrClosed(reply));
      }
      items += page.entries().size();
      from = page.more() ? page.entries().get(page.entries().size() - 1).id() : 0;
      done.incrementAndGet();
    }
    run.meter().markEnd(r);
    r.metric("pages", pages);
    r.metric("entries_per_page", Metrics.round1((double) items / pages));
    r.metric("page_p50_ms", Metrics.ms(lat, 50));
    r.metric("page_p99_ms", Metrics.ms(lat, 99));
    r.metric("page_max_ms", Metrics.round3(lat.getMaxValue() / 1000.0));
    r.metric("client_anomalies", anomalies.get());
    reader.close();
    b.close();
  }
}
