package imps.server.store.jdbc;

import java.nio.file.Path;
import java.sql.DriverManager;

/** SQLite databases for the tests of this package: a file per database, one table {@code t}. */
final class SqliteFiles {
  private SqliteFiles() {}

  /** Creates {@code file} in {@code dir} with table {@code t (columns)}; returns its JDBC URL. */
  static String withTable(Path dir, String file, String columns) throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve(file);
    try (var c = DriverManager.getConnection(url);
        var s = c.createStatement()) {
      s.execute("CREATE TABLE t (" + columns + ")");
    }
    return url;
  }

  /** A table {@code t (id, who, seq)} with ids in commit order, as ConcurrentWrites wants. */
  static String ordered(Path dir) throws Exception {
    return withTable(dir, "t.db", "id INTEGER PRIMARY KEY, who INTEGER, seq INTEGER");
  }

  /** A writer with one connection to {@code url}, batches of {@code max}. */
  static GroupCommitWriter writer(String url, int max, Maintenance maintenance) {
    return new GroupCommitWriter(
        WriterOptions.builder("t", () -> DriverManager.getConnection(url))
            .batching(CommitBatching.upTo(max))
            .maintenance(maintenance)
            .build());
  }

  /**
   * A database on {@code url} with {@code readers} fixed read connections, batches of {@code max}.
   */
  static JdbcDatabase database(String url, int readers, int max, Maintenance maintenance) {
    return new JdbcDatabase(
        writer(url, max, maintenance),
        FixedReaders.open("t", () -> DriverManager.getConnection(url), readers));
  }

  /** Rows in {@code t}, read on a connection of its own. */
  static int rows(String url) throws Exception {
    try (var c = DriverManager.getConnection(url);
        var s = c.createStatement();
        var rs = s.executeQuery("SELECT COUNT(*) FROM t")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
