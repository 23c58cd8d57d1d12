package imps.server.store.jdbc;

import static imps.server.store.jdbc.SqliteFiles.database;
import static imps.server.store.jdbc.SqliteFiles.ordered;
import static imps.server.store.jdbc.SqliteFiles.rows;
import static imps.server.store.jdbc.SqliteFiles.withTable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import imps.server.store.StoreException;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The façade: writes through the group-commit writer, reads on their own connections. */
class JdbcDatabaseTest {
  private static final Work<Integer> INSERT_ONE =
      tx -> tx.prepare("INSERT INTO t (who, seq) VALUES (1, 1)").executeUpdate();

  @TempDir Path dir;

  @Test
  void concurrentWritesAllCommitAndAFailureIsIsolated() throws Exception {
    String url = withTable(dir, "t.db", "id INTEGER PRIMARY KEY, v TEXT UNIQUE");
    try (JdbcDatabase db = database(url, 2, 64, Maintenance.NONE)) {
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
  void writeAsyncReturnsAtOnceAndCompletesOnceTheWriteIsCommitted() throws Exception {
    String url = ordered(dir);
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (JdbcDatabase db = database(url, 1, 16, Maintenance.NONE)) {
      CompletableFuture<Integer> f =
          db.writeAsync(
              tx -> {
                running.countDown();
                int n = INSERT_ONE.run(tx);
                awaitQuietly(release);
                return n;
              });
      assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(f).isNotDone();
      release.countDown();
      assertThat(f.get(5, TimeUnit.SECONDS)).isEqualTo(1);
      assertThat(rows(url)).as("committed when the future completed").isEqualTo(1);
      int seq =
          db.read(tx -> tx.one("SELECT seq FROM t", ps -> {}, rs -> rs.getInt(1)).orElseThrow());
      assertThat(seq).as("and visible to reads").isEqualTo(1);
    }
  }

  @Test
  void aReadSeesEveryWriteThatReturned() throws Exception {
    try (JdbcDatabase db = database(ordered(dir), 2, 16, Maintenance.NONE)) {
      for (int i = 1; i <= 20; i++) {
        int seq = i;
        db.write(
            tx -> {
              var ps = tx.prepare("INSERT INTO t (who, seq) VALUES (1, ?)");
              ps.setInt(1, seq);
              return ps.executeUpdate();
            });
        int max =
            db.read(tx -> tx.one("SELECT MAX(seq) FROM t", ps -> {}, rs -> rs.getInt(1)))
                .orElseThrow();
        assertThat(max).isEqualTo(seq);
      }
    }
  }

  @Test
  void aReadRunsWhileAWriteIsInProgressAndDoesNotSeeIt() throws Exception {
    String url = ordered(dir);
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (JdbcDatabase db = database(url, 1, 16, Maintenance.NONE)) {
      CompletableFuture<Integer> write =
          db.writeAsync(
              tx -> {
                int n = INSERT_ONE.run(tx);
                running.countDown();
                awaitQuietly(release);
                return n;
              });
      assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
      int seen =
          db.read(tx -> tx.one("SELECT COUNT(*) FROM t", ps -> {}, rs -> rs.getInt(1)))
              .orElseThrow();
      assertThat(seen).as("the uncommitted row").isZero();
      release.countDown();
      assertThat(write.get(5, TimeUnit.SECONDS)).isEqualTo(1);
    }
  }

  @Test
  void writesAfterCloseFail() throws Exception {
    String url = ordered(dir);
    JdbcDatabase db = database(url, 1, 8, Maintenance.NONE);
    db.close();
    assertThatThrownBy(() -> db.write(tx -> 1)).isInstanceOf(StoreException.class);
    assertThat(db.writeAsync(tx -> 1))
        .failsWithin(5, TimeUnit.SECONDS)
        .withThrowableOfType(Exception.class)
        .withCauseInstanceOf(StoreException.class);
  }

  @Test
  void closeClosesTheReadConnectionsToo() throws Exception {
    String url = ordered(dir);
    JdbcDatabase db = database(url, 1, 8, Maintenance.NONE);
    db.close();
    assertThatThrownBy(() -> db.read(tx -> tx.one("SELECT 1", ps -> {}, rs -> rs.getInt(1))))
        .isInstanceOf(StoreException.class);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
