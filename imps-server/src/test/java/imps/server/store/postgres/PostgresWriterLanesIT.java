package imps.server.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import imps.server.store.ConcurrentWrites;
import imps.server.store.PostgresTestDatabase;
import imps.server.store.jdbc.CommitBatching;
import imps.server.store.jdbc.GroupCommitWriter;
import imps.server.store.jdbc.JdbcDatabase;
import imps.server.store.jdbc.Maintenance;
import imps.server.store.jdbc.PooledReaders;
import imps.server.store.jdbc.WriterOptions;
import java.sql.DriverManager;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Several writer connections on one PostgreSQL database: concurrent commits, nothing lost. */
class PostgresWriterLanesIT {
  @RegisterExtension static final PostgresTestDatabase db = PostgresTestDatabase.perClass();

  @BeforeAll
  static void createTable() throws Exception {
    try (var c = DriverManager.getConnection(db.url(), PostgresTestDatabase.USER, "");
        var s = c.createStatement()) {
      s.execute("CREATE TABLE t (id BIGSERIAL PRIMARY KEY, who INT, seq INT)");
    }
  }

  private static JdbcDatabase open(int writers) {
    org.postgresql.ds.PGSimpleDataSource readers = new org.postgresql.ds.PGSimpleDataSource();
    readers.setURL(db.url());
    readers.setUser(PostgresTestDatabase.USER);
    GroupCommitWriter writer =
        new GroupCommitWriter(
            WriterOptions.builder(
                    "pg",
                    () -> {
                      var c = DriverManager.getConnection(db.url(), PostgresTestDatabase.USER, "");
                      c.setAutoCommit(false);
                      return c;
                    })
                .lanes(writers)
                .batching(CommitBatching.upTo(64))
                .maintenance(Maintenance.NONE)
                .build());
    return new JdbcDatabase(writer, new PooledReaders("pg", readers));
  }

  @Test
  void manyCallersOnFourWritersLoseNothingKeepEachCallersOrderAndCommitConcurrently()
      throws Exception {
    int threads = 8;
    int each = 200;
    Set<String> backends = ConcurrentHashMap.newKeySet();
    try (JdbcDatabase jdbc = open(4)) {
      ConcurrentWrites.writeAndCheck(
          jdbc,
          threads,
          each,
          tx -> {
            try (var rs = tx.prepare("SELECT pg_backend_pid()").executeQuery()) {
              rs.next();
              backends.add(rs.getString(1));
            }
            return null;
          });
    }
    assertThat(backends).as("writer connections used").hasSizeGreaterThan(1).hasSizeLessThan(5);
  }
}
