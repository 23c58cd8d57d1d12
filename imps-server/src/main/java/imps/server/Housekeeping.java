package imps.server;

import imps.server.account.AccountService;
import imps.server.config.ServerConfig;
import imps.server.dispatch.ActivityLog;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The {@code imps-housekeeping} thread and what it runs: the hourly purges (expired session tokens,
 * old location fixes, expired friend requests), every minute the delivered-message purge and the
 * sweep of expired throttle windows, and the activity summary every {@code log.summary-interval}.
 * The live-location ticks run on the same thread ({@link #scheduler}).
 */
final class Housekeeping implements AutoCloseable {
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          new DefaultThreadFactory("imps-housekeeping", true));

  /** The housekeeping thread, for work of others that belongs on it (live locations). */
  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  /** Schedules the periodic work; called once, when everything it touches is wired. */
  void schedule(
      ServerConfig config,
      Clock clock,
      Purges purges,
      Services services,
      AccountService accounts,
      ActivityLog activity) {
    scheduler.scheduleWithFixedDelay(services.tokens()::purgeExpired, 7, 60, TimeUnit.MINUTES);

    scheduler.scheduleWithFixedDelay(
        () -> purges.locations(services.locations()), 1, 60, TimeUnit.MINUTES);
    scheduler.scheduleWithFixedDelay(() -> purges.friends(clock), 2, 60, TimeUnit.MINUTES);
    scheduler.scheduleWithFixedDelay(() -> purges.messages(clock), 1, 1, TimeUnit.MINUTES);
    scheduler.scheduleWithFixedDelay(accounts::sweepThrottles, 1, 1, TimeUnit.MINUTES);
    long summaryMillis = config.get(ServerConfig.Key.LOG_SUMMARY_INTERVAL).toMillis();
    scheduler.scheduleWithFixedDelay(
        activity::summarize, summaryMillis, summaryMillis, TimeUnit.MILLISECONDS);
  }

  /** Stops the thread at once; a purge it interrupts runs again after the next start. */
  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
