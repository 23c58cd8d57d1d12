package imps.server.store.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * The {@code blocks} table: who blocked whom (one direction per row). Statements only; what a block
 * also ends (friendship, requests) is {@link JdbcFriendStore}'s.
 */
final class Blocks {
  private Blocks() {}

  /** Whether {@code userId} blocked {@code otherId}. */
  static boolean exists(Tx tx, long userId, long otherId) throws SQLException {
    PreparedStatement ps = tx.prepare("SELECT 1 FROM blocks WHERE user_id = ? AND blocked_id = ?");
    ps.setLong(1, userId);
    ps.setLong(2, otherId);
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next();
    }
  }

  /** Adds the block; nothing changes when it is there already. */
  static void add(Tx tx, long userId, long blockedId, long nowMillis) throws SQLException {
    PreparedStatement ps =
        tx.prepare(
            "INSERT INTO blocks (user_id, blocked_id, created_at) VALUES (?, ?, ?)"
                + " ON CONFLICT (user_id, blocked_id) DO NOTHING");
    ps.setLong(1, userId);
    ps.setLong(2, blockedId);
    ps.setLong(3, nowMillis);
    ps.executeUpdate();
  }

  /** Lifts the block; false when there was none. */
  static boolean remove(Tx tx, long userId, long blockedId) throws SQLException {
    PreparedStatement ps = tx.prepare("DELETE FROM blocks WHERE user_id = ? AND blocked_id = ?");
    ps.setLong(1, userId);
    ps.setLong(2, blockedId);
    return ps.executeUpdate() > 0;
  }

  /** The names {@code userId} blocked, ordered by name. */
  static List<String> namesBlockedBy(Tx tx, long userId) throws SQLException {
    return tx.list(
        "SELECT u.name FROM blocks b JOIN users u ON u.id = b.blocked_id"
            + " WHERE b.user_id = ? ORDER BY u.name_key",
        ps -> ps.setLong(1, userId),
        rs -> rs.getString(1));
  }
}
