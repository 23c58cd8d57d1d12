package imps.bench;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;

/**
 * Runs {@code total} asynchronous operations with at most {@code inflight} outstanding, each
 * started when an earlier one finishes, and waits for all of them within a time limit; and waits
 * for a condition within a time limit ({@link #waitFor}).
 */
public final class Bounded {
  /** What happened: operations that completed normally, that failed, and whether time ran out. */
  public record Outcome(long ok, long failed, boolean timedOut, double seconds, Throwable first) {
    public long done() {
      return ok + failed;
    }
  }

  private final int total;
  private final IntFunction<CompletableFuture<?>> op;
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicLong ok = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicReference<Throwable> first = new AtomicReference<>();
  private final CountDownLatch finished;

  private Bounded(int total, IntFunction<CompletableFuture<?>> op) {
    this.total = total;
    this.op = op;
    this.finished = new CountDownLatch(total);
  }

  /** Count of operations finished so far, for progress lines. */
  public long doneSoFar() {
    return ok.get() + failed.get();
  }

  public long failedSoFar() {
    return failed.get();
  }

  /** Runs {@code op(0..total-1)} with bounded concurrency; returns when done or at the timeout. */
  public static Outcome run(
      int total, int inflight, Duration timeout, IntFunction<CompletableFuture<?>> op) {
    return start(total, op).await(inflight, timeout);
  }

  /** Prepares a run, so that a progress line can watch it before {@link #await}. */
  public static Bounded start(int total, IntFunction<CompletableFuture<?>> op) {
    return new Bounded(total, op);
  }

  public Outcome await(int inflight, Duration timeout) {
    long t0 = System.nanoTime();
    int chains = Math.max(1, Math.min(inflight, total));
    for (int c = 0; c < chains && total > 0; c++) {
      chain();
    }
    boolean done;
    try {
      done = finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      done = false;
    }
    if (!done) {
      next.set(Integer.MAX_VALUE / 2); // start nothing more
    }
    return new Outcome(ok.get(), failed.get(), !done, (System.nanoTime() - t0) / 1e9, first.get());
  }

  /** Sleeps, bounded, in small steps until the condition holds; returns whether it did. */
  public static boolean waitFor(BooleanSupplier cond, Duration max) throws InterruptedException {
    long end = System.nanoTime() + max.toNanos();
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > end) {
        return false;
      }
      Thread.sleep(2);
    }
    return true;
  }

  private void chain() {
    for (int guard = 0; guard <= total; guard++) {
      int i = next.getAndIncrement();
      if (i >= total) {
        return;
      }
      CompletableFuture<?> f;
      try {
        f = op.apply(i);
      } catch (RuntimeException e) {
        record(null, e);
        continue;
      }
      if (f.isDone()) {
        record(f);
        continue;
      }
      f.whenComplete(
          (r, e) -> {
            record(r, e);
            chain();
          });
      return;
    }
  }

  private void record(CompletableFuture<?> f) {
    try {
      record(f.join(), null);
    } catch (RuntimeException e) {
      record(null, e.getCause() != null ? e.getCause() : e);
    }
  }

  private void record(Object r, Throwable e) {
    if (e == null) {
      ok.incrementAndGet();
    } else {
      failed.incrementAndGet();
      first.compareAndSet(null, e);
    }
    finished.countDown();
  }
}
