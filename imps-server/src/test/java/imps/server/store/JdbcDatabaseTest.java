package imps.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import imps.server.store.jdbc.JdbcDatabase;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Group commit: many writes share commits, and one failing write fails alone. */
class JdbcDatabaseTest {
  @TempDir Path dir;

  /** A database on {@code url} with {@code readers} read connections and batches of {@code max}. */
  private static JdbcDatabase open(String url, int readers, int max) {
    return new JdbcDatabase(
        "t",
        () -> DriverManager.getConnection(url),
        () -> DriverManager.getConnection(url),
        readers,
        max);
  }

  @Test
  void concurrentWritesAllCommitAndAFailureIsIsolated() throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve("t.db");
    try (var c = DriverManager.getConnection(url);
        var s = c.createStatement()) {
      s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT UNIQUE)");
    }
    try (JdbcDatabase db = open(url, 2, 64)) {
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
    JdbcDatabase db = open(url, 1, 8);
    db.close();
    assertThatThrownBy(() -> db.write(tx -> 1)).isInstanceOf(StoreException.class);
  }

  private String table() throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve("t.db");
    try (var c = DriverManager.getConnection(url);
        var s = c.createStatement()) {
      s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, who INTEGER, seq INTEGER)");
    }
    return url;
  }

  @Test
  void anUncontendedWriteCommitsOnTheCallersThread() throws Exception {
    String url = table();
    try (JdbcDatabase db = open(url, 1, 64)) {
      Thread ran = db.write(tx -> Thread.currentThread());
      assertThat(ran).isSameAs(Thread.currentThread());
    }
  }

  @Test
  void manyThreadsWritingAtOnceLoseNothingAndKeepEachThreadsOrder() throws Exception {
    String url = table();
    int threads = 8;
    int each = 300;
    AtomicInteger maintenance = new AtomicInteger();
    AtomicReference<String> maintenanceThread = new AtomicReference<>();
    try (JdbcDatabase db = open(url, 1, 16)) {
      db.betweenBatches(
          c -> {
            maintenance.incrementAndGet();
            maintenanceThread.set(Thread.currentThread().getName());
          });
      ConcurrentWrites.writeAndCheck(db, threads, each, tx -> null);
      // Maintenance still runs, on the writer thread, when callers commit themselves.
      await().atMost(Duration.ofSeconds(5)).until(() -> maintenance.get() > 0);
      assertThat(maintenanceThread.get()).startsWith("imps-db-writer-");
    }
  }

  @Test
  void maintenanceRunsOnlyAfterSomethingWasCommitted() throws Exception {
    String url = table();
    AtomicInteger maintenance = new AtomicInteger();
    try (JdbcDatabase db = open(url, 1, 16)) {
      db.betweenBatches(c -> maintenance.incrementAndGet());
      // The writer thread wakes every 100 ms; with nothing committed it must leave SQLite alone
      // (a checkpoint before the first commit fails with SQLITE_LOCKED).
      Thread.sleep(350);
      assertThat(maintenance.get()).isZero();
      db.write(tx -> tx.prepare("INSERT INTO t (who, seq) VALUES (1, 1)").executeUpdate());
      await().atMost(Duration.ofSeconds(5)).until(() -> maintenance.get() > 0);
    }
  }

  @Test
  void aWriteFromInsideAWriteFailsInsteadOfCommittingHalfATransaction() throws Exception {
    String url = table();
    try (JdbcDatabase db = open(url, 1, 16)) {
      assertThatThrownBy(
              () ->
                  db.write(
                      tx -> {
                        tx.prepare("INSERT INTO t (who, seq) VALUES (1, 1)").executeUpdate();
                        return db.write(inner -> 1);
                      }))
          .isInstanceOf(StoreException.class)
          .hasRootCauseInstanceOf(IllegalStateException.class);
      int rows =
          db.read(
              tx -> tx.one("SELECT COUNT(*) FROM t", ps -> {}, rs -> rs.getInt(1)).orElseThrow());
      assertThat(rows).as("the outer write was rolled back").isZero();
    }
  }
}
