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
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteDataSource;

/**
 * The SQLite store: file {@code imps.db} in the data directory, WAL journal, {@code synchronous}
 * FULL by default so that a commit survives power loss, not only a process crash. One writer
 * connection (SQLite allows one writer at a time anyway) does group commits; readers run
 * concurrently thanks to WAL.
 */
public final class SqliteStore extends JdbcStore {
  public static final String FILE_NAME = "imps.db";

  private SqliteStore(JdbcDatabase db, String description, Clock clock) {
    super(db, description, clock);
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
    return new SqliteStore(db, "SQLite " + file + " (synchronous=" + synchronous + ")", clock);
  }

  private static Connection configure(Connection c, String synchronous, boolean readOnly)
      throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL");
      s.execute("PRAGMA synchronous=" + synchronous);
      s.execute("PRAGMA foreign_keys=ON");
      s.execute("PRAGMA busy_timeout=10000");
      if (readOnly) {
        s.execute("PRAGMA query_only=ON");
      }
    }
    return c;
  }
}
