package imps.server.store.sqlite;

import imps.server.store.StoreException;
import imps.server.store.jdbc.CommitBatching;
import imps.server.store.jdbc.ConnectionFactory;
import imps.server.store.jdbc.ConversationIndex;
import imps.server.store.jdbc.Dialect;
import imps.server.store.jdbc.FixedReaders;
import imps.server.store.jdbc.GroupCommitWriter;
import imps.server.store.jdbc.JdbcDatabase;
import imps.server.store.jdbc.JdbcStore;
import imps.server.store.jdbc.SequenceCounters;
import imps.server.store.jdbc.WriterOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteDataSource;

/**
 * The SQLite store: file {@code imps.db} in the data directory, WAL journal, {@code synchronous}
 * FULL by default so that a commit survives power loss, not only a process crash. One writer
 * connection (SQLite allows one writer at a time anyway) does group commits; readers run
 * concurrently thanks to WAL; {@link WalCheckpoints} keeps the WAL small without stalling a commit.
 */
public final class SqliteStore extends JdbcStore {
  public static final String FILE_NAME = "imps.db";

  private static final Logger log = LoggerFactory.getLogger(SqliteStore.class);
  private static final int READERS = 4;
  private static final int INCREMENTAL = 2;
  private static final int VACUUM_PAGES = 4096;
  static final long JOURNAL_SIZE_LIMIT = 64L * 1024 * 1024;

  private final WalCheckpoints checkpoints;

  private SqliteStore(
      JdbcDatabase db, WalCheckpoints checkpoints, String description, Clock clock) {
    // One server per data directory: its file is written by this process only.
    super(db, description, clock, true, Dialect.SQLITE);
    this.checkpoints = checkpoints;
  }

  /** Opens (creating and migrating if needed) the store in {@code dataDir}. */
  public static SqliteStore open(Path dataDir, String synchronous, int batchMax, Clock clock) {
    return open(dataDir, synchronous, CommitBatching.upTo(batchMax), clock);
  }

  /** As above, with the writer's batches formed as {@code batching} says. */
  public static SqliteStore open(
      Path dataDir, String synchronous, CommitBatching batching, Clock clock) {
    Path file = dataDir.toAbsolutePath().resolve(FILE_NAME);
    DataFiles.makePrivate(dataDir, file);
    if (!synchronous.equals("FULL") && !synchronous.equals("EXTRA")) {
      log.warn(
          "sqlite.synchronous={}: a commit acknowledged to a client may be lost in a power failure"
              + (synchronous.equals("OFF") ? " or an operating-system crash" : "")
              + "; FULL keeps the documented guarantee",
          synchronous);
    }
    String url = "jdbc:sqlite:" + file;
    SQLiteDataSource ds = new SQLiteDataSource();
    ds.setUrl(url);
    useIncrementalVacuum(url);
    Flyway.configure().dataSource(ds).locations("classpath:db/migration/sqlite").load().migrate();
    ConnectionFactory writable =
        () -> configure(DriverManager.getConnection(url), synchronous, false);
    ConnectionFactory readOnly =
        () -> configure(DriverManager.getConnection(url), synchronous, true);
    recoverSequences(writable, url);
    WalCheckpoints checkpoints = WalCheckpoints.start(writable);
    JdbcDatabase db;
    try {
      db = openDatabase("sqlite:" + file, writable, readOnly, batching, checkpoints, clock);
    } catch (RuntimeException e) {
      checkpoints.close();
      throw e;
    }
    return new SqliteStore(
        db, checkpoints, "SQLite " + file + " (synchronous=" + synchronous + ")", clock);
  }

  /**
   * Brings the users' sequence counters up to date after a run that ended without writing them out
   * ({@link SequenceCounters#recover}).
   */
  private static void recoverSequences(ConnectionFactory writable, String url) {
    try (Connection c = writable.open()) {
      int raised = SequenceCounters.recover(c);
      if (raised > 0) {
        log.info("sequence numbers of {} users recovered from their stored items", raised);
      }
    } catch (SQLException e) {
      throw new StoreException("cannot open " + url + ": " + e.getMessage(), e);
    }
  }

  /**
   * One writer connection that runs {@code checkpoints} between batches, keeps the sequence numbers
   * in memory and fills the conversation index (it is the file's only writer), and fixed readers.
   */
  private static JdbcDatabase openDatabase(
      String name,
      ConnectionFactory writable,
      ConnectionFactory readOnly,
      CommitBatching batching,
      WalCheckpoints checkpoints,
      Clock clock) {
    SequenceCounters counters = new SequenceCounters(clock);
    ConversationIndex conversations = new ConversationIndex(clock);
    GroupCommitWriter writer =
        new GroupCommitWriter(
            WriterOptions.builder(name, writable)
                .batching(batching)
                .maintenance(checkpoints)
                .onlyWriter(counters, conversations)
                .build());
    try {
      return new JdbcDatabase(
          writer, FixedReaders.open(name, readOnly, READERS), counters, conversations);
    } catch (RuntimeException e) {
      writer.close();
      throw e;
    }
  }

  /**
   * Makes the database file shrink when rows are deleted ({@code auto_vacuum=INCREMENTAL}, with
   * {@link #reclaimSpace} giving pages back). A new file gets the mode before its first table; an
   * existing file without it is rebuilt once (a full {@code VACUUM}, logged: it takes a while on a
   * large file, and never again).
   */
  private static void useIncrementalVacuum(String url) {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      int mode;
      try (ResultSet rs = s.executeQuery("PRAGMA auto_vacuum")) {
        mode = rs.next() ? rs.getInt(1) : 0;
      }
      if (mode == INCREMENTAL) {
        return;
      }
      boolean empty;
      try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM sqlite_master")) {
        empty = !rs.next() || rs.getInt(1) == 0;
      }
      s.execute("PRAGMA auto_vacuum=INCREMENTAL");
      if (!empty) {
        log.info("rebuilding {} once so that it shrinks after purges (auto_vacuum)", url);
        s.execute("VACUUM");
      }
    } catch (SQLException e) {
      throw new StoreException("cannot open " + url + ": " + e.getMessage(), e);
    }
  }

  /** Frees up to {@link #VACUUM_PAGES} unused pages of the file, on the writer connection. */
  @Override
  public void reclaimSpace() {
    database()
        .write(
            tx -> {
              // Stepped to its end: each step frees one page.
              tx.run("PRAGMA incremental_vacuum(" + VACUUM_PAGES + ")");
              return null;
            });
  }

  @Override
  public void close() {
    checkpoints.stop();
    super.close();
    // Everything is committed: fold the WAL into the database file and close.
    checkpoints.close();
  }

  private static Connection configure(Connection c, String synchronous, boolean readOnly)
      throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL");
      s.execute("PRAGMA synchronous=" + synchronous);
      s.execute("PRAGMA foreign_keys=ON");
      s.execute("PRAGMA busy_timeout=10000");
      // Checkpoints run between commits (WalCheckpoints), never inside one.
      s.execute("PRAGMA wal_autocheckpoint=0");
      // A checkpoint that resets the WAL also truncates it to this: the WAL keeps no more than
      // this of its largest size between bursts.
      s.execute("PRAGMA journal_size_limit=" + JOURNAL_SIZE_LIMIT);
      if (readOnly) {
        s.execute("PRAGMA query_only=ON");
      }
    }
    return c;
  }

  /**
   * Sets the header's application id ("IMPS") again: SQLite rewrites the header page even when the
   * value is unchanged, so the commit goes through the WAL and its fsync like any other write.
   */
  @Override
  protected String writeProbeSql() {
    return "PRAGMA application_id = 1229803603";
  }

  /**
   * {@code VACUUM INTO}: a consistent, compacted copy made on a read connection, so writes go on
   * meanwhile (WAL); the copy is a plain SQLite file that can replace imps.db while the server is
   * stopped.
   */
  @Override
  protected void backup(JdbcDatabase db, Path file) {
    if (Files.exists(file)) {
      throw new IllegalArgumentException("backup file exists already: " + file);
    }
    db.read(
        tx -> {
          // Read connections are query_only; VACUUM INTO writes only the new file.
          tx.prepare("PRAGMA query_only=OFF").execute();
          try {
            java.sql.PreparedStatement ps = tx.prepare("VACUUM INTO ?");
            ps.setString(1, file.toAbsolutePath().toString());
            ps.execute();
          } finally {
            tx.prepare("PRAGMA query_only=ON").execute();
          }
          return null;
        });
  }
}
