package imps.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import imps.server.store.jdbc.JdbcDatabase;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Group commit: many writes share commits, and one failing write fails alone. */
class JdbcDatabaseTest {
  @TempDir Path dir;

  @Test
  void concurrentWritesAllCommitAndAFailureIsIsolated() throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve("t.db");
    try (var c = DriverManager.getConnection(url);
        var s = c.createStatement()) {
      s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT UNIQUE)");
    }
    try (JdbcDatabase db =
        new JdbcDatabase(
            "t",
            () -> DriverManager.getConnection(url),
            () -> DriverManager.getConnection(url),
            2,
            64)) {
      List<CompletableFuture<Integer>> futures = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        String v = i == 250 ? "v0" : "v" + i; // 250 violates UNIQUE
        futures.add(
            db.writeAsync(
                tx -> {
                  var ps = tx.prepare("INSERT INTO t (v) VALUES (?)");
                  ps.setString(1, v);
                  return ps.executeUpdate();
                }));
      }
      for (int i = 0; i < 500; i++) {
        if (i == 250) {
          int n = i;
          assertThatThrownBy(() -> futures.get(n).join()).hasCauseInstanceOf(StoreException.class);
        } else {
          assertThat(futures.get(i).join()).isEqualTo(1);
        }
      }
      int count =
          db.read(
              tx -> {
                try (ResultSet rs = tx.prepare("SELECT COUNT(*) FROM t").executeQuery()) {
                  rs.next();
                  return rs.getInt(1);
                }
              });
      assertThat(count).isEqualTo(499);
    }
  }

  @Test
  void writesAfterCloseFail() throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve("c.db");
    JdbcDatabase db =
        new JdbcDatabase(
            "c",
            () -> DriverManager.getConnection(url),
            () -> DriverManager.getConnection(url),
            1,
            8);
    db.close();
    assertThatThrownBy(() -> db.write(tx -> 1)).isInstanceOf(StoreException.class);
  }
}
