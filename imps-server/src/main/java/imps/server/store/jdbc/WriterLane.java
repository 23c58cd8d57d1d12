package imps.server.store.jdbc;

import imps.server.store.StoreException;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One writer connection of a {@link GroupCommitWriter} and the lock that whoever commits on it
 * holds. Everything but {@link #lock} and the constructor runs under that lock.
 *
 * <p>A batch runs in one transaction and commits once, its writes in order (adjacent writes of one
 * kind together, {@link WritesTogether}). If a write in it fails, the batch is rolled back and its
 * writes are retried one transaction each, so one bad write cannot fail the others. A single write
 * that fails on a deadlock or serialization conflict (possible when several servers, or several
 * lanes, write one PostgreSQL database) is retried a few times before it fails. A connection found
 * broken is reopened, and a write that met the loss before its COMMIT runs once more on the new
 * one. A loss during COMMIT is different: the database may have committed. With {@link
 * CommitOutcomes} (PostgreSQL) the lane finds out on a new connection and either completes the
 * writes or runs them again; it never runs a possibly committed write a second time (review finding
 * M6). Without it (SQLite, where a commit is a local call) the old rule applies.
 */
final class WriterLane {
  /** Commit latency (/metrics: imps_store_commit_seconds, a histogram). */
  private static final Timer COMMITS =
      Timer.builder("imps.store.commit")
          .description("Time of one group commit (the durable write, fsync included)")
          .serviceLevelObjectives(
              Duration.ofMillis(1),
              Duration.ofMillis(2),
              Duration.ofMillis(5),
              Duration.ofMillis(10),
              Duration.ofMillis(20),
              Duration.ofMillis(50),
              Duration.ofMillis(100),
              Duration.ofMillis(250),
              Duration.ofMillis(500),
              Duration.ofSeconds(1),
              Duration.ofSeconds(5))
          .register(Metrics.globalRegistry);

  /** Writes per commit (/metrics: imps_store_batch_writes). */
  private static final DistributionSummary BATCHES =
      DistributionSummary.builder("imps.store.batch.writes")
          .description("Writes committed together in one group commit")
          .register(Metrics.globalRegistry);

  private static final Logger log = LoggerFactory.getLogger(WriterLane.class);

  private static final int CONFLICT_RETRIES = 5;
  private static final long RESOLVE_PAUSE_MS = 250;

  final ReentrantLock lock = new ReentrantLock();

  private final String name;
  private final ConnectionFactory connections;
  private final String lockUsersSql;
  private final CommitOutcomes outcomes;
  private final Duration resolveTimeout;
  private final SequenceCounters counters;
  private final ConversationIndex conversations;

  // Guarded by lock.
  private Tx tx;
  private Object session;
  private boolean committedSinceMaintenance;

  /** Opens the connection; {@code lockUsersSql} as for {@link Tx#lockUsers}. */
  /** A lane of the writer {@code options} describe (its outcomes, counters and index). */
  WriterLane(WriterOptions options) throws SQLException {
    this.name = options.name();
    this.connections = options.connections();
    this.lockUsersSql = options.lockUsersSql();
    this.outcomes = options.outcomes();
    this.resolveTimeout = options.resolveTimeout();
    this.counters = options.counters();
    this.conversations = options.conversations();
    this.tx = open();
  }

  private Tx open() throws SQLException {
    Connection c = connections.open();
    try {
      c.setAutoCommit(false);
      if (outcomes != null) {
        session = outcomes.session(c);
      }
    } catch (SQLException | RuntimeException e) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // failing anyway
      }
      throw e;
    }
    return new Tx(c, lockUsersSql, counters, conversations);
  }

  /**
   * Commits {@code batch} (retrying as the class comment says) and completes each write's future.
   * Never throws: an unexpected error rolls back and fails every write of the batch not yet done.
   */
  void commit(List<PendingWrite<?>> batch) {
    try {
      run(batch, 0);
    } catch (RuntimeException | Error e) {
      log.error("database writer of {} hit an unexpected error", name, e);
      // Callers are told "not applied", so nothing of the batch may be committed later.
      rollbackQuietly();
      for (PendingWrite<?> w : batch) {
        w.result().completeExceptionally(e);
      }
    }
  }

  private void run(List<PendingWrite<?>> batch, int attempt) {
    WritesTogether.Ran results;
    Object transaction = null;
    try {
      results = WritesTogether.run(tx, batch);
      if (outcomes != null) {
        transaction = outcomes.transaction(tx.connection());
      }
      if (counters != null) {
        counters.beforeCommit(tx);
      }
      if (conversations != null) {
        conversations.beforeCommit(tx);
      }
    } catch (SQLException | RuntimeException e) {
      failed(batch, attempt, e);
      return;
    }
    try {
      long start = System.nanoTime();
      tx.connection().commit();
      COMMITS.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      BATCHES.record(batch.size());
    } catch (SQLException e) {
      if (transaction != null && !isConflict(e)) {
        // The COMMIT may or may not have happened: never run the writes again blindly.
        resolve(batch, results, transaction, attempt, e);
      } else {
        failed(batch, attempt, e);
      }
      return;
    }
    succeeded(batch, results);
  }

  private void succeeded(List<PendingWrite<?>> batch, WritesTogether.Ran results) {
    committedSinceMaintenance = true;
    if (counters != null) {
      counters.committed();
    }
    results.committed();
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).complete(results.results().get(i));
    }
  }

  /**
   * The connection was lost during COMMIT of {@code transaction}: on a new connection, end the old
   * session and ask the database whether the transaction committed. Committed: the writes succeeded
   * (with the results they returned). Aborted: they were not applied, so they are run again, as any
   * write that met a lost connection. Not known within {@link #resolveTimeout} (the database stays
   * unreachable): they fail, and the failure says the outcome is unknown.
   */
  private void resolve(
      List<PendingWrite<?>> batch,
      WritesTogether.Ran results,
      Object transaction,
      int attempt,
      SQLException cause) {
    Object oldSession = session;
    tx.close();
    long deadline = System.nanoTime() + resolveTimeout.toNanos();
    log.warn(
        "commit on {} lost its connection ({}); finding out whether it happened",
        name,
        cause.getMessage());
    while (true) {
      CommitOutcomes.Outcome outcome = CommitOutcomes.Outcome.UNKNOWN;
      try {
        Tx fresh = open();
        tx = fresh;
        outcome = outcomes.resolve(fresh.connection(), oldSession, transaction);
      } catch (SQLException | RuntimeException e) {
        log.debug("cannot resolve the lost commit on {} yet: {}", name, e.getMessage());
      }
      if (outcome == CommitOutcomes.Outcome.COMMITTED) {
        log.warn("the lost commit on {} had happened: {} writes succeeded", name, batch.size());
        succeeded(batch, results);
        return;
      }
      if (outcome == CommitOutcomes.Outcome.ABORTED) {
        log.warn("the lost commit on {} had not happened: running its writes again", name);
        rerun(batch, attempt);
        return;
      }
      if (System.nanoTime() - deadline >= 0) {
        log.error(
            "the outcome of a lost commit on {} is unknown after {}: failing its {} writes",
            name,
            resolveTimeout,
            batch.size());
        StoreException unknown =
            new StoreException(
                "write on " + name + " may or may not have been applied: commit outcome unknown",
                cause);
        for (PendingWrite<?> w : batch) {
          w.result().completeExceptionally(unknown);
        }
        return;
      }
      try {
        Thread.sleep(RESOLVE_PAUSE_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        for (PendingWrite<?> w : batch) {
          w.result().completeExceptionally(new StoreException("interrupted", e));
        }
        return;
      }
    }
  }

  /** Writes certainly not applied: run them again, alone if there are several. */
  private void rerun(List<PendingWrite<?>> batch, int attempt) {
    if (batch.size() == 1) {
      run(batch, attempt + 1);
    } else {
      for (PendingWrite<?> w : batch) {
        run(List.of(w), 0);
      }
    }
  }

  /**
   * {@code batch} failed before COMMIT (or at a COMMIT that certainly failed), so nothing of it is
   * applied. A lost connection is reopened and the whole batch runs once more on the new one; if
   * the database cannot be reached, the batch fails at once (one connection attempt per batch, not
   * per write, so a partition answers every queued write within seconds). Otherwise a single write
   * is retried on a conflict, and a batch is retried one write per transaction so that one bad
   * write fails alone.
   */
  private void failed(List<PendingWrite<?>> batch, int attempt, Exception e) {
    rollbackQuietly();
    boolean lost = isConnectionLoss(e) || !isValid();
    if (lost) {
      boolean reopened = reopen();
      if (reopened && attempt == 0) {
        run(batch, 1);
        return;
      }
      StoreException failure = storeFailure(e);
      for (PendingWrite<?> w : batch) {
        w.result().completeExceptionally(failure);
      }
      return;
    }
    if (batch.size() == 1) {
      if (attempt < CONFLICT_RETRIES && isConflict(e)) {
        run(batch, attempt + 1);
        return;
      }
      batch.get(0).result().completeExceptionally(storeFailure(e));
      return;
    }
    for (PendingWrite<?> w : batch) {
      run(List.of(w), 0);
    }
  }

  /** Whether anything was committed since the last call. */
  boolean takeCommitted() {
    boolean committed = committedSinceMaintenance;
    committedSinceMaintenance = false;
    return committed;
  }

  /** The connection, for maintenance between batches. */
  Connection connection() {
    return tx.connection();
  }

  void close() {
    tx.close();
  }

  private StoreException storeFailure(Exception e) {
    if (e instanceof StoreException se) {
      return se;
    }
    return new StoreException("write failed on " + name + ": " + e.getMessage(), e);
  }

  /** Deadlock or serialization failure: the transaction may succeed if run again. */
  private static boolean isConflict(Exception e) {
    String state = sqlState(e);
    return "40001".equals(state) || "40P01".equals(state);
  }

  /** SQLState class 08 or 57P0x (server shutting down or ending the session): connection lost. */
  private static boolean isConnectionLoss(Exception e) {
    String state = sqlState(e);
    return state != null && (state.startsWith("08") || state.startsWith("57P0"));
  }

  private static String sqlState(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException se && se.getSQLState() != null) {
        return se.getSQLState();
      }
    }
    return null;
  }

  private boolean isValid() {
    try {
      return tx.connection().isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  /** Replaces the (broken) connection with a new one; returns whether that worked. */
  private boolean reopen() {
    log.warn("writer connection of {} is broken, reopening", name);
    tx.close();
    try {
      tx = open();
      return true;
    } catch (SQLException e) {
      // Keep the closed one: its next use fails at once and the next failing batch tries again.
      log.error("cannot reopen writer connection of {}: {}", name, e.getMessage());
      return false;
    }
  }

  private void rollbackQuietly() {
    if (counters != null) {
      counters.rolledBack();
    }
    if (conversations != null) {
      conversations.rolledBack();
    }
    try {
      tx.connection().rollback();
    } catch (SQLException e) {
      log.warn("rollback failed on {}", name, e);
    }
  }
}
