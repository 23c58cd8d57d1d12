package imps.server.store.sqlite;

import imps.server.store.StoreException;
import imps.server.store.jdbc.ConnectionFactory;
import imps.server.store.jdbc.Maintenance;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WAL checkpoints that no commit waits for. SQLite's automatic checkpoint would copy the WAL back
 * inside whichever commit crosses its threshold, stalling every acknowledgement queued behind the
 * group-commit writer, so it is off (see {@link SqliteStore}). Instead, a thread of its own copies
 * the bulk of the WAL with passive checkpoints, which never block the writer; and the writer,
 * between two batches ({@link #run}, as its {@link Maintenance}), finishes with a passive
 * checkpoint of its own, which can complete because no write is in progress then, so that the next
 * write starts the WAL over from the beginning and it stays small. A truncating checkpoint from the
 * other thread would instead make the writer wait in SQLite's busy handler (docs/BENCHMARKS.md,
 * "What was changed because of the measurements", item 1).
 */
final class WalCheckpoints implements Maintenance, AutoCloseable {
  /** How often the WAL is copied back into the database file, off the writer thread. */
  private static final long INTERVAL_MS = 200;

  /** How often the writer completes a checkpoint between batches. */
  private static final long WRITER_INTERVAL_NANOS = 500_000_000L;

  private static final Logger log = LoggerFactory.getLogger(WalCheckpoints.class);

  private final Connection connection;
  private final ScheduledExecutorService thread;

  // Only the writer thread uses it.
  private long lastWriterCheckpoint;

  private WalCheckpoints(Connection connection) {
    this.connection = connection;
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            new DefaultThreadFactory("imps-sqlite-checkpoint", true));
    thread.scheduleWithFixedDelay(
        this::checkpoint, INTERVAL_MS, INTERVAL_MS, TimeUnit.MILLISECONDS);
  }

  /** Opens a connection of its own from {@code connections} and starts the checkpoint thread. */
  static WalCheckpoints start(ConnectionFactory connections) {
    try {
      return new WalCheckpoints(connections.open());
    } catch (SQLException e) {
      throw new StoreException("cannot open checkpoint connection: " + e.getMessage(), e);
    }
  }

  private void checkpoint() {
    try (Statement st = connection.createStatement()) {
      st.execute("PRAGMA wal_checkpoint(PASSIVE)");
    } catch (SQLException e) {
      log.warn("WAL checkpoint failed: {}", e.getMessage());
    }
  }

  /** On the writer thread, between batches: completes a checkpoint now and then. */
  @Override
  public void run(Connection writer) throws SQLException {
    long now = System.nanoTime();
    if (now - lastWriterCheckpoint < WRITER_INTERVAL_NANOS) {
      return;
    }
    lastWriterCheckpoint = now;
    try (Statement st = writer.createStatement()) {
      st.execute("PRAGMA wal_checkpoint(PASSIVE)");
    }
  }

  /** Stops the checkpoint thread, waiting for a checkpoint under way. */
  void stop() {
    thread.shutdown();
    try {
      thread.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Stops the thread if still running, folds the whole WAL into the database file and closes the
   * connection. Call once every write is committed and the writer closed.
   */
  @Override
  public void close() {
    stop();
    try (Statement st = connection.createStatement()) {
      st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    } catch (SQLException e) {
      log.warn("final WAL checkpoint failed: {}", e.getMessage());
    }
    try {
      connection.close();
    } catch (SQLException ignored) {
      // closing anyway
    }
  }
}
