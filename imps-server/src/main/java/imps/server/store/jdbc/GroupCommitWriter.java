package imps.server.store.jdbc;

import imps.server.store.StoreException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

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
 * either way. {@link Maintenance} runs only on the writer thread ({@link WriterThread}).
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
 * <p>No caller waits without bound: a write still queued, or a batch still committing, after the
 * wait limit fails ({@link WaitLimit}).
 */
public final class GroupCommitWriter implements AutoCloseable {
  private final String name;
  private final CommitBatching batching;
  private final BlockingQueue<PendingWrite<?>> writes = new LinkedBlockingQueue<>();
  // Lane 0 is the one maintenance runs on; SQLite has only that one.
  private final WriterLane[] lanes;
  private final AtomicInteger nextLane = new AtomicInteger();
  private final WaitLimit waitLimit;
  private final WriterThread writerThread;
  private volatile boolean closed;
  // When the last batch finished committing (System.nanoTime()): a batch waits for company only
  // while commits follow each other closely (CommitBatching).
  private volatile long lastCommitEnd = System.nanoTime() - Long.MAX_VALUE / 2;

  /**
   * Opens the writer connections of {@code options} and starts the writer thread.
   *
   * @throws StoreException if a connection cannot be opened (those opened are closed)
   */
  public GroupCommitWriter(WriterOptions options) {
    this.name = options.name();
    this.batching = options.batching();
    this.lanes = new WriterLane[options.lanes()];
    try {
      for (int i = 0; i < this.lanes.length; i++) {
        this.lanes[i] = new WriterLane(options);
      }
    } catch (SQLException e) {
      closeLanes();
      throw new StoreException("cannot open database " + name + ": " + e.getMessage(), e);
    }
    this.waitLimit = new WaitLimit(name, options.waitLimit(), writes, this.lanes.length);
    this.writerThread = new WriterThread(this, options.maintenance());
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
          writerThread.wake();
        }
      } else {
        // Every connection is busy; its holder may be about to let go without seeing this write.
        writerThread.wake();
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
    writerThread.queued(writes.size());
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

  /** A lane whose lock this thread now holds, or null if all are busy (callers, writer thread). */
  WriterLane freeLane() {
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
   * Under the lane's lock (a leading caller, or the writer thread): takes up to a batch of queued
   * writes and commits them together, tracked by the wait limit while it commits.
   *
   * @return how many writes it took
   */
  int commitQueued(WriterLane lane) {
    int max = batching.maxWrites();
    List<PendingWrite<?>> batch = new ArrayList<>(Math.min(max, 64));
    writes.drainTo(batch, max);
    if (!batch.isEmpty()) {
      int at = indexOf(lane);
      waitLimit.committing(at, batch);
      try {
        lane.commit(batch);
      } finally {
        waitLimit.committed(at);
        lastCommitEnd = System.nanoTime();
      }
    }
    return batch.size();
  }

  /**
   * For the writer thread, before it commits: how long the queued writes should still wait for
   * company ({@link CommitBatching}), in nanoseconds; 0 or less: commit now.
   */
  long companyWaitNanos() {
    long delay = batching.delayNanos();
    if (delay == 0) {
      return 0;
    }
    long now = System.nanoTime();
    if (closed || now - lastCommitEnd >= delay || writes.size() >= CommitBatching.COMPANY) {
      return 0;
    }
    PendingWrite<?> oldest = writes.peek();
    return oldest == null ? 0 : oldest.queuedAt() + delay - now;
  }

  private int indexOf(WriterLane lane) {
    for (int i = 0; i < lanes.length; i++) {
      if (lanes[i] == lane) {
        return i;
      }
    }
    throw new IllegalArgumentException("not a lane of " + name);
  }

  /** Lane 0, the one maintenance runs on. */
  WriterLane firstLane() {
    return lanes[0];
  }

  /** Whether writes are queued (for the writer thread). */
  boolean hasQueued() {
    return !writes.isEmpty();
  }

  /** Whether {@link #close} has begun (for the writer thread, which then ends once idle). */
  boolean isClosed() {
    return closed;
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
    waitLimit.close();
    writerThread.wake();
    try {
      writerThread.join(30);
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
