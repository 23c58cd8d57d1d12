package imps.server.account;

import imps.protocol.ErrorCode;
import imps.server.config.ConfigException;
import imps.server.error.RequestException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs password hashes on threads of their own, as many at once as a memory budget allows: each
 * Argon2id hash holds its whole memory cost on the heap while it runs, so a count of CPUs is the
 * wrong bound on a host with many of them and a fixed heap. Hashes beyond the threads wait in a
 * bounded queue; past that, a hash is refused at once with error 10 rather than waiting without
 * bound. Nothing else waits for a hash on a thread: callers get a future.
 *
 * <p>Threads = max(1, min(CPUs, budget / memory per hash)), where the budget is {@code
 * password.heap-percent} of the heap. Start-up refuses a cost for which even one hash does not fit
 * the budget. A stored hash made at another cost takes memory permits for its own cost, so a mix of
 * costs stays within the budget too.
 */
public final class HashingPool implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HashingPool.class);

  /** OWASP's minimum for Argon2id (m=19 MiB, t=2, p=1); lower costs get a warning. */
  static final int OWASP_MEMORY_KIB = 19 * 1024;

  static final int OWASP_ITERATIONS = 2;

  /**
   * Heap one hash takes, in bytes, for a memory cost in KiB: Bouncy Castle allocates one object of
   * 128 longs per KiB (1,040 bytes of array plus a 16-byte header), plus a little besides.
   */
  static long bytesPerHash(int memoryKib) {
    return memoryKib * 1056L + 64 * 1024;
  }

  /**
   * How a pool is sized.
   *
   * @param threads hashes that run at once
   * @param budgetBytes heap all running hashes may take together
   */
  public record Size(int threads, long budgetBytes) {
    /**
     * The size for {@code memoryKib} per hash.
     *
     * @throws ConfigException when one hash does not fit the budget
     */
    public static Size of(long maxHeapBytes, int heapPercent, int memoryKib, int cpus) {
      long budget = maxHeapBytes * heapPercent / 100;
      long perHash = bytesPerHash(memoryKib);
      if (perHash > budget) {
        throw new ConfigException(
            "password.memory-kib="
                + memoryKib
                + " does not fit the heap: one hash takes "
                + mib(perHash)
                + " MiB, more than password.heap-percent="
                + heapPercent
                + " of the "
                + mib(maxHeapBytes)
                + " MiB heap ("
                + mib(budget)
                + " MiB); lower the cost or raise the heap (-Xmx)");
      }
      int threads = (int) Math.max(1, Math.min(cpus, budget / perHash));
      return new Size(threads, budget);
    }
  }

  private final PasswordHasher hasher;
  private final ThreadPoolExecutor pool;
  // In KiB of heap: every running hash holds its own cost's worth.
  private final Semaphore memory;
  private final int budgetKib;

  /**
   * @param queue hashes waiting for a thread at most
   */
  public HashingPool(PasswordHasher hasher, Size size, int queue) {
    this.hasher = hasher;
    this.budgetKib = (int) Math.min(Integer.MAX_VALUE, size.budgetBytes() / 1024);
    this.memory = new Semaphore(budgetKib);
    AtomicInteger n = new AtomicInteger();
    this.pool =
        new ThreadPoolExecutor(
            size.threads(),
            size.threads(),
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(queue),
            r -> {
              Thread t = new Thread(r, "imps-hash-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * A pool sized for this JVM's heap and CPUs; logs its size, and warns when the cost is below
   * OWASP's minimum.
   *
   * @throws ConfigException when one hash does not fit the budget
   */
  public static HashingPool forThisJvm(PasswordHasher hasher, int heapPercent, int queue) {
    Runtime rt = Runtime.getRuntime();
    Size size = Size.of(rt.maxMemory(), heapPercent, hasher.memoryKib(), rt.availableProcessors());
    log.info(
        "password hashing: Argon2id m={} KiB, t={}; {} at once within {} MiB ({}% of the heap),"
            + " {} may wait",
        hasher.memoryKib(),
        hasher.iterations(),
        size.threads(),
        mib(size.budgetBytes()),
        heapPercent,
        queue);
    if (hasher.memoryKib() < OWASP_MEMORY_KIB || hasher.iterations() < OWASP_ITERATIONS) {
      log.warn(
          "password cost m={} KiB, t={} is below OWASP's minimum for Argon2id (m={} KiB, t={}):"
              + " stolen hashes would be cheap to crack",
          hasher.memoryKib(),
          hasher.iterations(),
          OWASP_MEMORY_KIB,
          OWASP_ITERATIONS);
    }
    return new HashingPool(hasher, size, queue);
  }

  /** A new hash of {@code password}; fails with error 10 when too many hashes wait. */
  public CompletableFuture<String> hash(String password) {
    return submit(hasher.memoryKib(), () -> hasher.hash(password));
  }

  /**
   * Whether {@code password} matches {@code encoded}; fails with error 10 when too many hashes
   * wait.
   */
  public CompletableFuture<Boolean> verify(String password, String encoded) {
    int kib = PasswordHasher.memoryKibOf(encoded, hasher.memoryKib());
    return submit(kib, () -> hasher.verify(password, encoded));
  }

  /** Hashes waiting for a thread. */
  public int queued() {
    return pool.getQueue().size();
  }

  /** Runs {@code work} holding {@code memoryKib} of the budget; package-private for tests. */
  <T> CompletableFuture<T> submit(int memoryKib, Supplier<T> work) {
    int permits = (int) Math.min(budgetKib, bytesPerHash(memoryKib) / 1024);
    CompletableFuture<T> result = new CompletableFuture<>();
    try {
      pool.execute(
          () -> {
            // Only a hash of a larger cost than the pool was sized for ever waits here.
            memory.acquireUninterruptibly(permits);
            try {
              result.complete(work.get());
            } catch (RuntimeException | Error e) {
              result.completeExceptionally(e);
            } finally {
              memory.release(permits);
            }
          });
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(
          new RequestException(ErrorCode.TOO_MANY_REQUESTS, "password hashing busy"));
    }
    return result;
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }

  private static long mib(long bytes) {
    return bytes >> 20;
  }
}
