package imps.server.concurrent;

import imps.protocol.ErrorCode;
import imps.server.error.RequestException;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The pool for work that waits (store reads, network round trips), off the event loops. Requests
 * are admitted only while fewer than {@code maxQueued} tasks wait: past that a request gets error
 * 10 ("too many requests") at once instead of waiting without bound. Work the server owes a session
 * whatever the load (a sign-out, the announcement after a login) is always taken ({@link
 * #execute}).
 */
public final class Offload implements Executor, AutoCloseable {
  /** The pool whose thread this is, for {@link #supplyOn}; null on other threads. */
  private static final ThreadLocal<Offload> OWNER = new ThreadLocal<>();

  private final ThreadPoolExecutor pool;
  private final int maxQueued;

  public Offload(String name, int threads, int maxQueued) {
    DefaultThreadFactory threadFactory = new DefaultThreadFactory(name, true);
    this.pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(),
            work ->
                threadFactory.newThread(
                    () -> {
                      OWNER.set(this);
                      work.run();
                    }));
    this.maxQueued = maxQueued;
  }

  /**
   * Runs {@code work} on {@code executor}: at once on the calling thread when that is one of the
   * executor's own threads (an {@link Offload}'s), queued otherwise. A chain of steps that all
   * belong on the pool so costs no hand-off between its threads (each one wakes a parked thread:
   * docs/BENCHMARKS.md, "Hand-offs at login"). Either way a step that throws fails the future.
   */
  public static <T> CompletableFuture<T> supplyOn(Executor executor, Supplier<T> work) {
    if (isCurrent(executor)) {
      try {
        return CompletableFuture.completedFuture(work.get());
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    return CompletableFuture.supplyAsync(work, executor);
  }

  /** Whether the calling thread is one of {@code executor}'s own (an {@link Offload}'s). */
  public static boolean isCurrent(Executor executor) {
    return executor instanceof Offload o && OWNER.get() == o;
  }

  /** Runs the work of a request; the future fails with error 10 when too many tasks are waiting. */
  public <T> CompletableFuture<T> supply(Supplier<T> work) {
    if (pool.getQueue().size() >= maxQueued) {
      return CompletableFuture.failedFuture(
          new RequestException(ErrorCode.TOO_MANY_REQUESTS, "server busy"));
    }
    return CompletableFuture.supplyAsync(work, pool);
  }

  /** Runs work the server owes whatever the load. */
  @Override
  public void execute(Runnable work) {
    pool.execute(work);
  }

  /** Tasks waiting for a thread. */
  public int queued() {
    return pool.getQueue().size();
  }

  /** The exception a stage failed with, without the CompletionException wrapper. */
  public static Throwable cause(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** Stops taking work and waits (up to {@code seconds}) for what runs. */
  public void shutdown(long seconds) {
    pool.shutdown();
    try {
      pool.awaitTermination(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
