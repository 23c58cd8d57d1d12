package imps.bench;

import imps.protocol.message.HistoryPage;
import imps.protocol.message.HistoryRequest;
import imps.protocol.message.ImpsMessage;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code history}: N messages stored between two friends (both directions), then one of them, opted
 * into HISTORY, pages back through the conversation with C_HISTORY, one request at a time; measures
 * each page's round trip (an upper bound of the server's time for it). The two friends and the
 * stored conversation are a {@link FriendPair}'s.
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
    FriendPair pair = FriendPair.logIn(run, r, "a", "b");
    Conn a = pair.first;
    Conn b = pair.second;

    if (messages > 0) {
      Bounded stored = pair.store(messages, i -> i % 2 == 0, i -> "history " + i, null);
      run.progress().phase("store", stored::doneSoFar, stored::failedSoFar);
      Bounded.Outcome o = stored.await(window, run.options().timeout());
      r.metric("stored", o.ok());
      r.metric("store_per_s", Metrics.round1(o.ok() / o.seconds()));
      if (o.failed() > 0 || o.timedOut()) {
        throw new SetupException("storing messages: " + o);
      }
    }
    a.close();

    Conn reader = new Conn(0, a.user, pair.ignoringPushes());
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
    r.metric("client_anomalies", pair.anomalies());
    reader.close();
    b.close();
  }
}
