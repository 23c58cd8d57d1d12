package imps.server.store.sqlite;

import imps.server.store.StoreException;
import imps.server.store.jdbc.JdbcDatabase;
import imps.server.store.jdbc.JdbcStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
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
  static final long CHECKPOINT_INTERVAL_MS = 1000;

  /** WAL size (pages of 4 KiB) at which a truncating checkpoint resets it: 64 MiB. */
  static final long MAX_WAL_PAGES = 16_384;

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
  }

  /**
   * A passive checkpoint on its own connection and thread. SQLite's automatic checkpoint would run
   * inside whichever commit crosses the threshold, on the group-commit writer, stalling every
   * waiting acknowledgement for the time it takes to copy and sync the pages (measured: p99 of chat
   * messages 128 ms with it, see docs/BENCHMARKS.md). A passive checkpoint runs beside the writer
   * without blocking it.
   */
  private void checkpoint() {
    try (Statement st = checkpointConnection.createStatement()) {
      long walPages;
      try (ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
        walPages = rs.next() ? rs.getLong(2) : 0;
      }
      // Under constant writes a passive checkpoint never catches up with the end of the WAL, so
      // the WAL could grow without end. Past a size, finish with TRUNCATE: most pages are copied
      // already, so the writer is held up only briefly.
      if (walPages > MAX_WAL_PAGES) {
        st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      }
    } catch (SQLException e) {
      log.warn("WAL checkpoint failed: {}", e.getMessage());
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
