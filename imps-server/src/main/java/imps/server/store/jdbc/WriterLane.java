package imps.server.store.jdbc;

import imps.server.store.StoreException;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One writer connection of a {@link GroupCommitWriter} and the lock that whoever commits on it
 * holds. Everything but {@link #lock} and the constructor runs under that lock.
 *
 * <p>A batch runs in one transaction and commits once. If a write in it fails, the batch is rolled
 * back and its writes are retried one transaction each, so one bad write cannot fail the others. A
 * single write that fails on a deadlock or serialization conflict (possible when several servers,
 * or several lanes, write one PostgreSQL database) is retried a few times before it fails. A
 * connection found broken is reopened, and a write that met the loss runs once more on the new one.
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

  final ReentrantLock lock = new ReentrantLock();

  private final String name;
  private final ConnectionFactory connections;
  private final String lockUsersSql;

  // Guarded by lock.
  private Tx tx;
  private boolean committedSinceMaintenance;

  /** Opens the connection; {@code lockUsersSql} as for {@link Tx#lockUsers}. */
  WriterLane(String name, ConnectionFactory connections, String lockUsersSql) throws SQLException {
    this.name = name;
    this.connections = connections;
    this.lockUsersSql = lockUsersSql;
    this.tx = open();
  }

  private Tx open() throws SQLException {
    Connection c = connections.open();
    c.setAutoCommit(false);
    return new Tx(c, lockUsersSql);
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
    List<Object> results = new ArrayList<>(batch.size());
    try {
      for (PendingWrite<?> w : batch) {
        results.add(w.work().run(tx));
      }
      long start = System.nanoTime();
      tx.connection().commit();
      COMMITS.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      BATCHES.record(batch.size());
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly();
      boolean reopened = reopenIfBroken();
      if (batch.size() == 1) {
        // A write that met a dropped connection never committed: run it once more on the new one.
        boolean lost = reopened || isConnectionLoss(e);
        if (attempt < CONFLICT_RETRIES && (isConflict(e) || attempt == 0 && lost)) {
          run(batch, attempt + 1);
          return;
        }
        batch.get(0).result().completeExceptionally(storeFailure(e));
        return;
      }
      // Retry one transaction each so a single bad write fails alone.
      for (PendingWrite<?> w : batch) {
        run(List.of(w), 0);
      }
      return;
    }
    committedSinceMaintenance = true;
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).complete(results.get(i));
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

  /** Reopens the connection if it is broken; returns whether it did. */
  private boolean reopenIfBroken() {
    try {
      if (tx.connection().isValid(2)) {
        return false;
      }
    } catch (SQLException e) {
      // treat as broken
    }
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
    try {
      tx.connection().rollback();
    } catch (SQLException e) {
      log.warn("rollback failed on {}", name, e);
    }
  }
}
