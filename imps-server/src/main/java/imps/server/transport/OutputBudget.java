package imps.server.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.group.ChannelGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.internal.PlatformDependent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A budget for the bytes waiting to be written to all clients together (review finding H6): each
 * connection may hold {@code output.max-bytes-per-connection} ({@link NettyConnection} closes one
 * past that), but many slow readers together could still exhaust the direct memory that output
 * buffers come from, and that error does not stop the process: it fails every connection instead.
 *
 * <p>When the sum is over the budget, the connections holding the most are closed first, until the
 * rest fit. Nothing stored is lost that way: an item counts as delivered only once the client (or
 * its kernel) acknowledged it, so what a closed connection did not get comes again at its next
 * login. The sum is taken by a sweep over the open connections, on a thread of its own, every
 * second and soon after output grows on a connection that is not writable (past the high
 * watermark), never more than a hundred times a second, and never on an event loop.
 */
final class OutputBudget implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OutputBudget.class);
  private static final long LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);
  private static final long SWEEP_DELAY_MILLIS = 10;

  private final ChannelGroup channels;
  private final long budget;
  private final ScheduledExecutorService sweeper;
  private final AtomicBoolean sweepQueued = new AtomicBoolean();
  private final AtomicLong lastLog = new AtomicLong();
  private final AtomicLong closedTotal = new AtomicLong();
  // Closed by a sweep and not closed yet: a close from this thread runs later on the channel's
  // event loop, and until then its output must not count again (a second sweep would close the
  // next largest for bytes that are about to go).
  private final Set<Channel> closing = ConcurrentHashMap.newKeySet();

  /**
   * @param budgetBytes the budget, or 0 for a quarter of the direct memory limit
   */
  OutputBudget(ChannelGroup channels, long budgetBytes) {
    this.channels = channels;
    this.budget = budgetBytes > 0 ? budgetBytes : defaultBudget();
    this.sweeper =
        Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("imps-output", true));
    sweeper.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
  }

  /** A quarter of what direct buffers may take (-XX:MaxDirectMemorySize, by default the heap). */
  static long defaultBudget() {
    return Math.max(16L << 20, PlatformDependent.maxDirectMemory() / 4);
  }

  long budget() {
    return budget;
  }

  /** Bytes waiting in {@code ch}'s outbound buffer (0 once it is closed). */
  static long pending(Channel ch) {
    ChannelOutboundBuffer buf = ch.unsafe().outboundBuffer();
    return buf == null ? 0 : buf.totalPendingWriteBytes();
  }

  /**
   * Output to a connection that is not writable grew: sweep soon (once, however many ask, and at
   * most every {@link #SWEEP_DELAY_MILLIS}, since a sweep visits every connection).
   */
  void grew() {
    if (sweepQueued.compareAndSet(false, true)) {
      try {
        sweeper.schedule(
            () -> {
              sweepQueued.set(false);
              sweep();
            },
            SWEEP_DELAY_MILLIS,
            TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        sweepQueued.set(false); // shutting down
      }
    }
  }

  /** Bytes waiting to be written to all connections now. */
  long waiting() {
    long total = 0;
    for (Channel ch : channels) {
      total += pending(ch);
    }
    return total;
  }

  /** Connections closed for the budget since start; for tests and logs. */
  long closed() {
    return closedTotal.get();
  }

  /** Sums what every connection holds; over the budget, closes the largest holders first. */
  void sweep() {
    try {
      long total = 0;
      List<Held> held = new ArrayList<>();
      for (Channel ch : channels) {
        if (closing.contains(ch)) {
          continue;
        }
        long p = pending(ch);
        total += p;
        if (p > 0 && !ch.isWritable()) {
          held.add(new Held(ch, p));
        }
      }
      if (total <= budget) {
        return;
      }
      held.sort(Comparator.comparingLong(Held::bytes).reversed());
      int closed = 0;
      for (Held h : held) {
        if (total <= budget) {
          break;
        }
        Channel ch = h.channel();
        closing.add(ch);
        ch.close().addListener(f -> closing.remove(ch));
        total -= h.bytes();
        closed++;
      }
      closedTotal.addAndGet(closed);
      logClosed(closed, total);
    } catch (RuntimeException e) {
      log.warn("output budget sweep failed: {}", e.toString());
    }
  }

  private void logClosed(int closed, long remaining) {
    long now = System.nanoTime();
    long last = lastLog.get();
    if ((last == 0 || now - last > LOG_INTERVAL_NANOS) && lastLog.compareAndSet(last, now)) {
      log.warn(
          "output to clients over its budget of {} bytes: closed the {} slowest readers (their"
              + " undelivered items stay stored); {} bytes left waiting (logged once a minute)",
          budget,
          closed,
          remaining);
    }
  }

  private record Held(Channel channel, long bytes) {}

  @Override
  public void close() {
    sweeper.shutdownNow();
  }
}
