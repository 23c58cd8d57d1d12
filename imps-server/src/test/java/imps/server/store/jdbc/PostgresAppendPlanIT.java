package imps.server.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import imps.server.store.MessageStore.Quota;
import imps.server.store.NewMessage;
import imps.server.store.PostgresTestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The one statement that stores a message on PostgreSQL ({@link AppendStatement}) reads no table
 * whole: the quota's count comes from the index {@code messages_undelivered}, the users' rows by
 * their key, however many messages the recipient has (the SQLite statements are checked by {@code
 * MessageQueryPlanTest}).
 */
class PostgresAppendPlanIT {
  @RegisterExtension static final PostgresTestDatabase db = PostgresTestDatabase.perClass();

  @Test
  void storingAMessageInOneStatementScansNoTable() throws Exception {
    db.openStore(Clock.systemUTC()).close(); // migrates
    try (Connection c = DriverManager.getConnection(db.url(), PostgresTestDatabase.USER, "");
        Statement s = c.createStatement()) {
      s.execute(
          "INSERT INTO users (name, name_key, password_hash, gender, email, created_at)"
              + " SELECT 'u' || g, 'u' || g, 'x', 0, 'a@b.c', 0 FROM generate_series(1, 2000) g");
      s.execute(
          "INSERT INTO messages (sender_id, recipient_id, body_text, accepted_at, delivered, seq,"
              + " created_at, receipts, body_bytes)"
              + " SELECT (SELECT min(id) FROM users), (SELECT min(id) FROM users) + g % 2000,"
              + " 'x', 't', g % 3 / 2, g, 1000, 0, 1 FROM generate_series(1, 100000) g");
      s.execute("ANALYZE");
      long recipient;
      try (ResultSet rs = s.executeQuery("SELECT min(id) + 7 FROM users")) {
        rs.next();
        recipient = rs.getLong(1);
      }
      NewMessage m = new NewMessage(recipient - 1, "s", recipient, "hi", null, "t", 5, 1, true);
      for (Quota quota : List.of(new Quota(5000, 1 << 20), Quota.NONE)) {
        List<String> plan = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + AppendStatement.sql(quota))) {
          AppendStatement.bind(ps, 1, m, 2, quota);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              plan.add(rs.getString(1));
            }
          }
        }
        assertThat(plan).as("plan %s", plan).noneMatch(step -> step.contains("Seq Scan"));
        // The count, and only where there is a quota, from the covering index.
        assertThat(plan.stream().anyMatch(step -> step.contains("messages_undelivered")))
            .as("plan %s", plan)
            .isEqualTo(!quota.equals(Quota.NONE));
      }
    }
  }
}
