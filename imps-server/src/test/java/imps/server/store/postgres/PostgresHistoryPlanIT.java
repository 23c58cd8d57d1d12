package imps.server.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import imps.server.store.PostgresTestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A history page first finds the oldest message still inside the retention, ordered by {@code
 * (created_at, id)}. With many messages of one {@code created_at} (a bulk load, an import) an index
 * on {@code created_at} alone leaves the tie to a scan of the table: 336–369 ms per page with 10^6
 * messages (docs/BENCHMARKS.md). The index on both columns (migration V11) answers it from the
 * index's first entry.
 */
class PostgresHistoryPlanIT {
  @RegisterExtension static final PostgresTestDatabase db = PostgresTestDatabase.perClass();

  @Test
  void theOldestMessageInTheRetentionIsFoundThroughAnIndexEvenWhenTimesTie() throws Exception {
    db.openStore(Clock.systemUTC()).close(); // migrates
    try (Connection c = DriverManager.getConnection(db.url(), PostgresTestDatabase.USER, "");
        Statement s = c.createStatement()) {
      s.execute(
          "INSERT INTO users (name, name_key, password_hash, gender, email, created_at)"
              + " VALUES ('pa', 'pa', 'x', 0, 'a@b.c', 0), ('pb', 'pb', 'x', 0, 'a@b.c', 0)");
      s.execute(
          "INSERT INTO messages (sender_id, recipient_id, body_text, accepted_at, delivered, seq,"
              + " created_at, receipts, body_bytes)"
              + " SELECT (SELECT id FROM users WHERE name = 'pa'),"
              + " (SELECT id FROM users WHERE name = 'pb'), 'x', 't', 1, g, 1000, 0, 1"
              + " FROM generate_series(1, 100000) g");
      s.execute("ANALYZE messages");
      List<String> plan = new ArrayList<>();
      try (ResultSet rs =
          s.executeQuery(
              "EXPLAIN SELECT id FROM messages WHERE created_at >= 1000"
                  + " ORDER BY created_at, id LIMIT 1")) {
        while (rs.next()) {
          plan.add(rs.getString(1));
        }
      }
      assertThat(plan).as("plan %s", plan).noneMatch(step -> step.contains("Seq Scan"));
      assertThat(plan).as("plan %s", plan).noneMatch(step -> step.contains("Sort"));
    }
  }
}
