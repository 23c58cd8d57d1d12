package imps.server.store.jdbc;

import imps.server.store.StoreException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit over JDBC. Every write runs on a writer connection (a {@link WriterLane}), one batch
 * at a time: whoever holds the connection takes all writes waiting (up to a batch limit), runs them
 * in a single transaction and commits once, then completes each caller's future. Many concurrent
 * callers therefore share one durable commit (one fsync), which is what makes "stored before
 * acknowledged" affordable.
 *
 * <p>Who commits: a caller that finds a writer connection free commits on its own thread, taking
 * along whatever else is queued (the leader); a caller that finds them all busy queues its write
 * and wakes the writer thread, which commits everything queued once a connection is free. Without
 * load a write therefore costs no thread hand-off, which shortens the latency tail
 * (docs/BENCHMARKS.md, "What was changed because of the measurements", item 9); under load writes
 * still share commits. With one writer connection, writes commit in the order they were queued
 * either way. {@link Maintenance} runs only on the writer thread.
 *
 * <p>Several writer connections ("lanes", for PostgreSQL, which takes concurrent writers; SQLite
 * has one): a caller commits on any free one, so up to that many batches commit at once. Then
 * writes of different callers may commit in any order; one caller's writes still commit in its
 * order, since it waits for each. (Several servers writing one database are in that situation
 * anyway: message ids and the friend rules are built for it, see {@link Tx#lockUsers}.) The writer
 * thread takes any free one, else waits for the first. Batches on different connections hold row
 * locks at the same time, so two of them can deadlock (a friendship change locks users' rows, and a
 * message insert's foreign keys share-lock them): PostgreSQL then aborts one after its
 * deadlock_timeout (1 s by default), and its writes are retried one by one (see {@link
 * WriterLane}), as for several servers writing one database. Nothing is lost; those writes are
 * late.
 *
 * <p>Wait limit (review finding M6): no caller waits without bound. A write still queued after the
 * limit is taken out of the queue and fails (it never runs: error 11, not applied); a batch still
 * committing after the limit (a database that stopped answering, a disk that hangs) has its writes
 * failed too, although they may still commit (as with a lost commit reply, see {@link WriterLane}).
 * The limit is well above what a commit takes with the stores' own timeouts, so it only ends waits
 * that nothing else would. One daemon thread checks every quarter of the limit (at most 250 ms).
 */
public final class GroupCommitWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);

  /** The writer thread wakes at least this often, to run maintenance when callers commit. */
  private static final long MAINTENANCE_NANOS = 100_000_000L;

  private final String name;
  private final int batchMax;
  private final Maintenance maintenance;
  private final BlockingQueue<PendingWrite<?>> writes = new LinkedBlockingQueue<>();
  // Lane 0 is the one maintenance runs on; SQLite has only that one.
  private final WriterLane[] lanes;
  private final AtomicInteger nextLane = new AtomicInteger();
  private final AtomicBoolean writerSignalled = new AtomicBoolean();
  private final Thread writerThread;
  private final long waitLimitNanos;
  private final Duration waitLimit;
  // The batch each lane is committing and when it was taken (lane index), for the wait limit.
  private final AtomicReferenceArray<InFlight> inFlight;
  private final ScheduledExecutorService expiry;
  private volatile boolean closed;

  /** How long a caller waits at most by default: above any commit's own timeouts. */
  public static final Duration DEFAULT_WAIT_LIMIT = Duration.ofSeconds(60);

  private record InFlight(List<PendingWrite<?>> batch, long since) {}

  /**
   * Opens {@code lanes} writer connections (at least one) and starts the writer thread.
   *
   * @param name for thread names, logs and errors
   * @param lockUsersSql the row-lock statement of {@link Tx#lockUsers} (two parameters, the smaller
   *     id first), or null where writes are serial (SQLite)
   * @param batchMax the most writes committed together
   * @throws StoreException if a connection cannot be opened (those opened are closed)
   */
  public GroupCommitWriter(
      String name,
      ConnectionFactory connections,
      int lanes,
      String lockUsersSql,
      int batchMax,
      Maintenance maintenance) {
    this(
        name,
        connections,
        lanes,
        lockUsersSql,
        batchMax,
        maintenance,
        null,
        Duration.ZERO,
        DEFAULT_WAIT_LIMIT);
  }

  /**
   * As above, for a database over the network: {@code outcomes} finds out whether a commit whose
   * connection was lost happened, trying for up to {@code resolveTimeout} (see {@link WriterLane});
   * no caller waits longer than {@code waitLimit} (see the class comment).
   */
  public GroupCommitWriter(
      String name,
      ConnectionFactory connections,
      int lanes,
      String lockUsersSql,
      int batchMax,
      Maintenance maintenance,
      CommitOutcomes outcomes,
      Duration resolveTimeout,
      Duration waitLimit) {
    if (batchMax < 1) {
      throw new IllegalArgumentException("batchMax must be at least 1: " + batchMax);
    }
    this.name = name;
    this.batchMax = batchMax;
    this.maintenance = Objects.requireNonNull(maintenance, "maintenance");
    this.lanes = new WriterLane[Math.max(1, lanes)];
    try {
      for (int i = 0; i < this.lanes.length; i++) {
        this.lanes[i] = new WriterLane(name, connections, lockUsersSql, outcomes, resolveTimeout);
      }
    } catch (SQLException e) {
      closeLanes();
      throw new StoreException("cannot open database " + name + ": " + e.getMessage(), e);
    }
    this.waitLimit = waitLimit;
    this.waitLimitNanos = waitLimit.toNanos();
    this.inFlight = new AtomicReferenceArray<>(this.lanes.length);
    this.writerThread = new Thread(this::writeLoop, "imps-db-writer-" + name);
    writerThread.setDaemon(true);
    writerThread.start();
    long check = Math.max(10, Math.min(250, waitLimit.toMillis() / 4));
    this.expiry =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "imps-db-expiry-" + name);
              t.setDaemon(true);
              return t;
            });
    expiry.scheduleWithFixedDelay(this::expire, check, check, TimeUnit.MILLISECONDS);
  }

  /** Fails the writes that have waited longer than the limit (see the class comment). */
  private void expire() {
    try {
      long now = System.nanoTime();
      PendingWrite<?> w;
      while ((w = writes.peek()) != null && now - w.queuedAt() > waitLimitNanos) {
        // Taken out before a lane drained it: it never runs.
        if (writes.remove(w)) {
          w.result()
              .completeExceptionally(
                  new StoreException(
                      "database " + name + " did not take the write within " + waitLimit, null));
        }
      }
      for (int i = 0; i < inFlight.length(); i++) {
        InFlight f = inFlight.get(i);
        if (f != null && now - f.since() > waitLimitNanos) {
          StoreException late =
              new StoreException(
                  "database "
                      + name
                      + " did not answer a commit within "
                      + waitLimit
                      + " (it may still happen)",
                  null);
          for (PendingWrite<?> p : f.batch()) {
            p.result().completeExceptionally(late);
          }
        }
      }
    } catch (RuntimeException e) {
      log.warn("checking the wait limit of {} failed: {}", name, e.toString());
    }
  }

  /** The database's name, for logs and errors. */
  public String name() {
    return name;
  }

  /**
   * Runs {@code work} in a write transaction and returns once it is committed: on this thread if a
   * writer connection is free, else on the writer thread or another caller's (see the class
   * comment).
   *
   * @throws IllegalStateException if called from inside a write: from a {@link Work}, from
   *     maintenance, or from a stage run when a {@link #writeAsync} future completes
   * @throws StoreException if the write failed (it was rolled back) or the writer is closed
   */
  public <T> T write(Work<T> work) {
    for (WriterLane l : lanes) {
      if (l.lock.isHeldByCurrentThread()) {
        // Committing here would commit the enclosing transaction half done.
        throw new IllegalStateException("write() called from inside a write on " + name);
      }
    }
    CompletableFuture<T> f = enqueue(work);
    if (!f.isDone()) {
      WriterLane lane = freeLane();
      if (lane != null) {
        try {
          // Everything queued before this write commits with it or before it (or, with several
          // lanes, at the same time on another one: then this lane finds the queue empty).
          while (!f.isDone() && commitQueued(lane) > 0) {
            // next batch
          }
        } finally {
          lane.lock.unlock();
        }
        if (!writes.isEmpty()) {
          wakeWriter();
        }
      } else {
        // Every connection is busy; its holder may be about to let go without seeing this write.
        wakeWriter();
      }
    }
    return await(f);
  }

  /**
   * Queues {@code work} for the writer thread and returns at once; the future completes once the
   * write is committed, or exceptionally (with a {@link StoreException}, or the unexpected error)
   * once it failed and was rolled back. The future is completed while a writer connection is held:
   * a stage that runs then must not write (its {@link #write} throws).
   */
  <T> CompletableFuture<T> writeAsync(Work<T> work) {
    CompletableFuture<T> f = enqueue(work);
    wakeWriter();
    return f;
  }

  /** Queues {@code work}; the future completes once it is committed (or failed). */
  private <T> CompletableFuture<T> enqueue(Work<T> work) {
    CompletableFuture<T> f = new CompletableFuture<>();
    // Under the lock close() takes, so no write is queued once close() has begun.
    synchronized (writes) {
      if (closed) {
        f.completeExceptionally(new StoreException("database " + name + " is closed", null));
        return f;
      }
      writes.add(new PendingWrite<>(work, f));
    }
    return f;
  }

  /** A lane whose lock this thread now holds, or null if all are busy. */
  private WriterLane freeLane() {
    int n = lanes.length;
    int start = n == 1 ? 0 : Math.floorMod(nextLane.getAndIncrement(), n);
    for (int i = 0; i < n; i++) {
      WriterLane l = lanes[(start + i) % n];
      if (l.lock.tryLock()) {
        return l;
      }
    }
    return null;
  }

  private static <T> T await(CompletableFuture<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted waiting for a commit", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof StoreException se) {
        throw se;
      }
      if (c instanceof RuntimeException re) {
        throw re;
      }
      throw new StoreException("write failed: " + c, c);
    }
  }

  /**
   * Under the lane's lock: takes up to a batch of queued writes and commits them together.
   *
   * @return how many writes it took
   */
  private int commitQueued(WriterLane lane) {
    List<PendingWrite<?>> batch = new ArrayList<>(Math.min(batchMax, 64));
    writes.drainTo(batch, batchMax);
    if (!batch.isEmpty()) {
      int at = indexOf(lane);
      inFlight.set(at, new InFlight(batch, batch.get(0).queuedAt()));
      try {
        lane.commit(batch);
      } finally {
        inFlight.set(at, null);
      }
    }
    return batch.size();
  }

  private int indexOf(WriterLane lane) {
    for (int i = 0; i < lanes.length; i++) {
      if (lanes[i] == lane) {
        return i;
      }
    }
    throw new IllegalArgumentException("not a lane of " + name);
  }

  /** Wakes the writer thread; a no-op while it has a wake-up pending already. */
  private void wakeWriter() {
    if (!writerSignalled.get() && writerSignalled.compareAndSet(false, true)) {
      LockSupport.unpark(writerThread);
    }
  }

  private void writeLoop() {
    while (true) {
      if (!writerSignalled.getAndSet(false)) {
        LockSupport.parkNanos(this, MAINTENANCE_NANOS);
        writerSignalled.set(false);
        // Only close() stops this thread (after the queue is empty); a stray interrupt must not
        // turn the park above into a busy loop.
        Thread.interrupted();
      }
      // Any free lane first, so that queued writes do not wait for lane 0 while others idle.
      WriterLane lane = freeLane();
      if (lane == null) {
        lane = lanes[0];
        lane.lock.lock();
      }
      try {
        // Maintenance after every batch, not only when the queue runs dry: under steady load it
        // may never run dry, and the WAL would grow without bound.
        while (!writes.isEmpty()) {
          commitQueued(lane);
          maintainIfCommitted(lane);
        }
        maintainIfCommitted(lane);
        if (closed && writes.isEmpty()) {
          return;
        }
      } catch (RuntimeException | Error e) {
        // This thread must survive anything: callers that found the connection busy rely on it.
        log.error("database writer of {} hit an unexpected error", name, e);
      } finally {
        lane.lock.unlock();
      }
    }
  }

  /**
   * Under lane 0's lock, on the writer thread: maintenance, if anything was committed since the
   * last. Before the first commit SQLite refuses a checkpoint on this connection (SQLITE_LOCKED),
   * and with nothing written there is nothing to do; after close() the connection may be gone.
   */
  private void maintainIfCommitted(WriterLane lane) {
    if (lane != lanes[0] || closed || !lane.takeCommitted()) {
      return;
    }
    try {
      maintenance.run(lane.connection());
    } catch (SQLException | RuntimeException e) {
      log.warn("maintenance on {} failed: {}", name, e.toString());
    }
  }

  /** Finishes queued writes (waiting up to 30 s), fails any left, then closes every connection. */
  @Override
  public void close() {
    synchronized (writes) {
      if (closed) {
        return;
      }
      closed = true;
    }
    expiry.shutdownNow();
    wakeWriter();
    try {
      writerThread.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<PendingWrite<?>> rest = new ArrayList<>();
    writes.drainTo(rest);
    for (PendingWrite<?> w : rest) {
      w.result().completeExceptionally(new StoreException("database " + name + " is closed", null));
    }
    for (WriterLane l : lanes) {
      l.lock.lock();
      try {
        l.close();
      } finally {
        l.lock.unlock();
      }
    }
  }

  /** Closes the lanes opened so far, when the constructor fails. */
  private void closeLanes() {
    for (WriterLane l : lanes) {
      if (l != null) {
        l.close();
      }
    }
  }
}
