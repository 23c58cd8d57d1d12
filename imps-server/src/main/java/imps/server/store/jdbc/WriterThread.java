package imps.server.store.jdbc;

import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer thread of a {@link GroupCommitWriter}: commits what callers queued when they found
 * every writer connection busy (or wrote with {@link GroupCommitWriter#writeAsync}), and runs
 * {@link Maintenance} on lane 0 after commits, the only thread that does. It must survive anything:
 * callers that found the connections busy rely on it. It ends only once the writer is closed and
 * the queue is empty.
 */
final class WriterThread {
  // Under the writer's name, as the rest of the group commit logs.
  private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);

  /** The writer thread wakes at least this often, to run maintenance when callers commit. */
  private static final long MAINTENANCE_NANOS = 100_000_000L;

  private final GroupCommitWriter writer;
  private final Maintenance maintenance;
  private final AtomicBoolean signalled = new AtomicBoolean();
  private final Thread thread;
  // Whether the thread is between batches, about to park or parked (wake it for a new write), or
  // waiting for company (wake it only once enough is queued). Otherwise it is committing and will
  // look at the queue again when done: a queued write then needs no wake-up, and would cut short
  // the next batch's wait for company.
  private volatile boolean idle;
  private volatile boolean awaitingCompany;

  /** Starts the thread, named {@code imps-db-writer-} and the writer's name. */
  WriterThread(GroupCommitWriter writer, Maintenance maintenance) {
    this.writer = writer;
    this.maintenance = maintenance;
    this.thread = new Thread(this::loop, "imps-db-writer-" + writer.name());
    thread.setDaemon(true);
    thread.start();
  }

  /** Wakes the writer thread; a no-op while it has a wake-up pending already. */
  void wake() {
    if (!signalled.get() && signalled.compareAndSet(false, true)) {
      LockSupport.unpark(thread);
    }
  }

  /**
   * An asynchronous write was queued, {@code queued} writes in all: wakes the thread if it is idle,
   * or waiting for company and {@link CommitBatching#COMPANY} writes are now there.
   */
  void queued(int queued) {
    if (idle) {
      wake();
    } else if (awaitingCompany && queued >= CommitBatching.COMPANY) {
      // Not through wake(): a wake-up that reached the thread before it began to wait leaves the
      // flag set, and would make this one a no-op while the thread sleeps out the delay.
      LockSupport.unpark(thread);
    }
  }

  /** Waits up to {@code seconds} for the thread to end (after the writer was closed and woken). */
  void join(long seconds) throws InterruptedException {
    thread.join(TimeUnit.SECONDS.toMillis(seconds));
  }

  private void loop() {
    while (true) {
      idle = true;
      // After idle is set: a write queued before it is seen here, one queued after it wakes us.
      if (!writer.hasQueued() && !signalled.getAndSet(false)) {
        LockSupport.parkNanos(writer, MAINTENANCE_NANOS);
        // Only close() stops this thread (after the queue is empty); a stray interrupt must not
        // turn the park above into a busy loop.
        Thread.interrupted();
      }
      idle = false;
      signalled.set(false);
      // Any free lane first, so that queued writes do not wait for lane 0 while others idle.
      WriterLane lane = writer.freeLane();
      if (lane == null) {
        lane = writer.firstLane();
        lane.lock.lock();
      }
      try {
        // Maintenance after every batch, not only when the queue runs dry: under steady load it
        // may never run dry, and the WAL would grow without bound.
        while (writer.hasQueued()) {
          awaitCompany();
          writer.commitQueued(lane);
          maintainIfCommitted(lane);
        }
        maintainIfCommitted(lane);
        if (writer.isClosed() && !writer.hasQueued()) {
          return;
        }
      } catch (RuntimeException | Error e) {
        // This thread must survive anything: callers that found the connection busy rely on it.
        log.error("database writer of {} hit an unexpected error", writer.name(), e);
      } finally {
        lane.lock.unlock();
      }
    }
  }

  /** Lets the queued writes wait for company as {@link CommitBatching} says. */
  private void awaitCompany() {
    awaitingCompany = true;
    try {
      long left;
      while ((left = writer.companyWaitNanos()) > 0) {
        LockSupport.parkNanos(writer, left);
        Thread.interrupted();
      }
    } finally {
      awaitingCompany = false;
    }
  }

  /**
   * Under lane 0's lock, on the writer thread: maintenance, if anything was committed since the
   * last. Before the first commit SQLite refuses a checkpoint on this connection (SQLITE_LOCKED),
   * and with nothing written there is nothing to do; after close() the connection may be gone.
   */
  private void maintainIfCommitted(WriterLane lane) {
    if (lane != writer.firstLane() || writer.isClosed() || !lane.takeCommitted()) {
      return;
    }
    try {
      maintenance.run(lane.connection());
    } catch (SQLException | RuntimeException e) {
      log.warn("maintenance on {} failed: {}", writer.name(), e.toString());
    }
  }
}
