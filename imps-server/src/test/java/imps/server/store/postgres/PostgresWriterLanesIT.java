package imps.server.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import imps.server.store.ConcurrentWrites;
import imps.server.store.PostgresTestDatabase;
import imps.server.store.jdbc.JdbcDatabase;
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

  @Test
  void manyCallersOnFourWritersLoseNothingKeepEachCallersOrderAndCommitConcurrently()
      throws Exception {
    int threads = 8;
    int each = 200;
    Set<String> backends = ConcurrentHashMap.newKeySet();
    try (JdbcDatabase jdbc = db.openDatabase(4)) {
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
