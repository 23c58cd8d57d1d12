package imps.server.store.sqlite;

import imps.server.store.StoreException;
import imps.server.store.jdbc.JdbcDatabase;
import imps.server.store.jdbc.JdbcStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteDataSource;

/**
 * The SQLite store: file {@code imps.db} in the data directory, WAL journal, {@code synchronous}
 * FULL by default so that a commit survives power loss, not only a process crash. One writer
 * connection (SQLite allows one writer at a time anyway) does group commits; readers run
 * concurrently thanks to WAL.
 */
public final class SqliteStore extends JdbcStore {
  public static final String FILE_NAME = "imps.db";

  /** How often the WAL is copied back into the database file, off the writer thread. */
  static final long CHECKPOINT_INTERVAL_MS = 200;

  /** How often the writer completes a checkpoint between batches. */
  static final long WRITER_CHECKPOINT_INTERVAL_NANOS = 500_000_000L;

  private static final Logger log = LoggerFactory.getLogger(SqliteStore.class);

  private final Connection checkpointConnection;
  private final ScheduledExecutorService checkpointer;

  private SqliteStore(JdbcDatabase db, String description, Clock clock, String url, String sync) {
    super(db, description, clock);
    try {
      this.checkpointConnection = configure(DriverManager.getConnection(url), sync, false);
    } catch (SQLException e) {
      db.close();
      throw new StoreException("cannot open checkpoint connection: " + e.getMessage(), e);
    }
    this.checkpointer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "imps-sqlite-checkpoint");
              t.setDaemon(true);
              return t;
            });
    checkpointer.scheduleWithFixedDelay(
        this::checkpoint, CHECKPOINT_INTERVAL_MS, CHECKPOINT_INTERVAL_MS, TimeUnit.MILLISECONDS);
    db.betweenBatches(this::finishCheckpoint);
  }

  /**
   * Checkpoints are split in two so that no commit waits for one. SQLite's automatic checkpoint
   * would copy the WAL back inside whichever commit crosses its threshold, stalling every
   * acknowledgement queued behind the group-commit writer. Instead, a thread of its own copies the
   * bulk of the WAL with passive checkpoints (which never block the writer); and the writer,
   * between two batches, finishes with a passive checkpoint of its own, which can complete because
   * no write is in progress then, so that the next write starts the WAL over from the beginning and
   * it stays small. (A truncating checkpoint from the other thread would instead make the writer
   * wait in SQLite's busy handler: about 54 ms, measured.)
   */
  private void checkpoint() {
    try (Statement st = checkpointConnection.createStatement()) {
      st.execute("PRAGMA wal_checkpoint(PASSIVE)");
    } catch (SQLException e) {
      log.warn("WAL checkpoint failed: {}", e.getMessage());
    }
  }

  private long lastWriterCheckpoint;

  /** On the writer thread, between batches. */
  private void finishCheckpoint(Connection writer) throws SQLException {
    long now = System.nanoTime();
    if (now - lastWriterCheckpoint < WRITER_CHECKPOINT_INTERVAL_NANOS) {
      return;
    }
    lastWriterCheckpoint = now;
    try (Statement st = writer.createStatement()) {
      st.execute("PRAGMA wal_checkpoint(PASSIVE)");
    }
  }

  @Override
  public void close() {
    checkpointer.shutdown();
    try {
      checkpointer.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    super.close();
    // Everything is committed: fold the WAL into the database file and close.
    try (Statement st = checkpointConnection.createStatement()) {
      st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    } catch (SQLException e) {
      log.warn("final WAL checkpoint failed: {}", e.getMessage());
    }
    try {
      checkpointConnection.close();
    } catch (SQLException ignored) {
      // closing anyway
    }
  }

  /** Opens (creating and migrating if needed) the store in {@code dataDir}. */
  public static SqliteStore open(Path dataDir, String synchronous, int batchMax, Clock clock) {
    Path file = dataDir.toAbsolutePath().resolve(FILE_NAME);
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new StoreException(
          "cannot create data directory " + dataDir + ": " + e.getMessage(), e);
    }
    String url = "jdbc:sqlite:" + file;
    SQLiteDataSource ds = new SQLiteDataSource();
    ds.setUrl(url);
    Flyway.configure().dataSource(ds).locations("classpath:db/migration/sqlite").load().migrate();
    JdbcDatabase db =
        new JdbcDatabase(
            "sqlite:" + file,
            () -> configure(DriverManager.getConnection(url), synchronous, false),
            () -> configure(DriverManager.getConnection(url), synchronous, true),
            4,
            batchMax);
    return new SqliteStore(
        db, "SQLite " + file + " (synchronous=" + synchronous + ")", clock, url, synchronous);
  }

  private static Connection configure(Connection c, String synchronous, boolean readOnly)
      throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL");
      s.execute("PRAGMA synchronous=" + synchronous);
      s.execute("PRAGMA foreign_keys=ON");
      s.execute("PRAGMA busy_timeout=10000");
      // Checkpoints run on their own thread (see checkpoint()), never inside a commit.
      s.execute("PRAGMA wal_autocheckpoint=0");
      if (readOnly) {
        s.execute("PRAGMA query_only=ON");
      }
    }
    return c;
  }
}
