package imps.server.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import imps.server.store.PostgresTestDatabase;
import imps.server.store.jdbc.JdbcDatabase;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Several writer connections on one PostgreSQL database: concurrent commits, nothing lost. */
class PostgresWriterLanesIT {
  private static PostgresTestDatabase db;

  @BeforeAll
  static void createDatabase() throws Exception {
    db = PostgresTestDatabase.create();
    try (var c = DriverManager.getConnection(db.url(), PostgresTestDatabase.USER, "");
        var s = c.createStatement()) {
      s.execute("CREATE TABLE t (id BIGSERIAL PRIMARY KEY, who INT, seq INT)");
    }
  }

  @AfterAll
  static void dropDatabase() {
    if (db != null) {
      db.close();
    }
  }

  private static JdbcDatabase open(int writers) {
    org.postgresql.ds.PGSimpleDataSource readers = new org.postgresql.ds.PGSimpleDataSource();
    readers.setURL(db.url());
    readers.setUser(PostgresTestDatabase.USER);
    return new JdbcDatabase(
        "pg",
        () -> {
          var c = DriverManager.getConnection(db.url(), PostgresTestDatabase.USER, "");
          c.setAutoCommit(false);
          return c;
        },
        writers,
        readers,
        null,
        64);
  }

  @Test
  void manyCallersOnFourWritersLoseNothingKeepEachCallersOrderAndCommitConcurrently()
      throws Exception {
    int threads = 8;
    int each = 200;
    Set<String> backends = ConcurrentHashMap.newKeySet();
    try (JdbcDatabase jdbc = open(4)) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<?>> done = Collections.synchronizedList(new ArrayList<>());
      for (int w = 0; w < threads; w++) {
        int who = w;
        done.add(
            pool.submit(
                () -> {
                  for (int seq = 0; seq < each; seq++) {
                    int n = seq;
                    jdbc.write(
                        tx -> {
                          var ps = tx.prepare("INSERT INTO t (who, seq) VALUES (?, ?)");
                          ps.setInt(1, who);
                          ps.setInt(2, n);
                          ps.executeUpdate();
                          var pid = tx.prepare("SELECT pg_backend_pid()");
                          try (var rs = pid.executeQuery()) {
                            rs.next();
                            backends.add(rs.getString(1));
                          }
                          return null;
                        });
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get(120, TimeUnit.SECONDS);
      }
      pool.shutdown();
      for (int w = 0; w < threads; w++) {
        int who = w;
        List<Integer> seqs =
            jdbc.read(
                tx ->
                    tx.list(
                        "SELECT seq FROM t WHERE who = ? ORDER BY id",
                        ps -> ps.setInt(1, who),
                        rs -> rs.getInt(1)));
        assertThat(seqs).as("writes of caller %d, in id order", who).isSorted().hasSize(each);
      }
    }
    assertThat(backends).as("writer connections used").hasSizeGreaterThan(1).hasSizeLessThan(5);
  }
}
