package imps.server.store.migration;

import static org.assertj.core.api.Assertions.assertThat;

import imps.server.store.HistorySlice;
import imps.server.store.StoredMessage;
import imps.server.store.sqlite.SqliteStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Migration V13 (SQLite) on a database with messages from before it: every message gets its entry
 * in {@code conversations}, the mark stands at the highest message id, the index {@code
 * messages_conversation} is gone, and history pages read the conversation through the new table.
 */
class SqliteConversationsMigrationIT {
  @TempDir Path dir;

  @Test
  void everyStoredMessageIsInConversationsAndTheMarkIsAtTheHighestId() throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve(SqliteStore.FILE_NAME);
    Flyway.configure()
        .dataSource(url, "", "")
        .locations("classpath:db/migration/sqlite")
        .target("12")
        .load()
        .migrate();
    long[] users = new long[3];
    List<Long> ab = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url)) {
      for (int i = 0; i < users.length; i++) {
        users[i] = insertUser(c, "u" + i);
      }
      for (int i = 0; i < 30; i++) {
        long from = users[i % 3];
        long to = users[(i + 1 + i / 3) % 3];
        if (from == to) {
          to = users[(i + 2) % 3];
        }
        long id = insertMessage(c, from, to, "m" + i, i + 1);
        if ((from == users[0] && to == users[1]) || (from == users[1] && to == users[0])) {
          ab.add(id);
        }
      }
      // A gap in the ids, as a purge leaves one.
      try (Statement s = c.createStatement()) {
        s.executeUpdate("DELETE FROM messages WHERE id = 5");
      }
      ab.remove(Long.valueOf(5));
    }
    assertThat(ab).hasSizeGreaterThan(3);

    Flyway.configure()
        .dataSource(url, "", "")
        .locations("classpath:db/migration/sqlite")
        .load()
        .migrate();

    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      assertThat(count(s, "SELECT COUNT(*) FROM messages")).isEqualTo(29);
      assertThat(count(s, "SELECT COUNT(*) FROM conversations")).isEqualTo(29);
      assertThat(
              count(
                  s,
                  "SELECT COUNT(*) FROM (SELECT sender_id, recipient_id, id FROM messages"
                      + " EXCEPT SELECT sender_id, recipient_id, id FROM conversations)"))
          .isZero();
      assertThat(count(s, "SELECT up_to_id FROM conversations_mark"))
          .isEqualTo(count(s, "SELECT MAX(id) FROM messages"))
          .isEqualTo(30);
      assertThat(
              count(
                  s,
                  "SELECT COUNT(*) FROM sqlite_master"
                      + " WHERE type = 'index' AND name = 'messages_conversation'"))
          .isZero();
    }

    try (SqliteStore store = SqliteStore.open(dir, "NORMAL", 64, Clock.systemUTC())) {
      HistorySlice page = store.messages().history(users[0], users[1], 0, true, 100, 1 << 20, 0);
      assertThat(page.more()).isFalse();
      assertThat(page.messages()).extracting(StoredMessage::id).isEqualTo(ab);
    }
  }

  private static long insertUser(Connection c, String name) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO users (name, name_key, password_hash, gender, email, created_at)"
                + " VALUES (?, ?, 'x', 0, 'a@b.c', 0) RETURNING id")) {
      ps.setString(1, name);
      ps.setString(2, name);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static long insertMessage(Connection c, long from, long to, String text, long seq)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO messages (sender_id, recipient_id, body_text, accepted_at, delivered, seq,"
                + " created_at, receipts, body_bytes) VALUES (?, ?, ?, 't', 1, ?, 1000, 0, 1)"
                + " RETURNING id")) {
      ps.setLong(1, from);
      ps.setLong(2, to);
      ps.setString(3, text);
      ps.setLong(4, seq);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static long count(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
