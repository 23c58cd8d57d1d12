package imps.server.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WAL checkpoints outside commits; the last one, on close, empties the WAL. */
class WalCheckpointsTest {
  @TempDir Path dir;

  private static Connection open(String url) throws SQLException {
    Connection c = DriverManager.getConnection(url);
    try (var s = c.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL");
      s.execute("PRAGMA wal_autocheckpoint=0");
    }
    return c;
  }

  @Test
  void closeFoldsTheWalIntoTheDatabaseFile() throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve("w.db");
    Path wal = dir.resolve("w.db-wal");
    try (Connection writer = open(url)) {
      WalCheckpoints checkpoints = WalCheckpoints.start(() -> open(url));
      try (var s = writer.createStatement()) {
        s.execute("CREATE TABLE t (v TEXT)");
        for (int i = 0; i < 100; i++) {
          s.execute("INSERT INTO t VALUES ('row " + i + "')");
        }
      }
      assertThat(Files.size(wal)).as("autocheckpoint is off").isPositive();
      writer.setAutoCommit(false); // as the group-commit writer's connection
      try (var s = writer.createStatement()) {
        s.execute("INSERT INTO t VALUES ('last')");
      }
      writer.commit();
      checkpoints.run(writer); // between two batches
      checkpoints.close();
      assertThat(Files.size(wal)).as("truncated on close").isZero();
    }
    try (Connection c = DriverManager.getConnection(url);
        var s = c.createStatement();
        var rs = s.executeQuery("SELECT COUNT(*) FROM t")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(101);
    }
  }
}
