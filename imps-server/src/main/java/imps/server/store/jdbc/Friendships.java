package imps.server.store.jdbc;

import imps.server.store.FriendView;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * The {@code friendships} table: one row each way per pair of friends, both written and deleted in
 * the same transaction. Statements only; the rules (limits, locks) are {@link JdbcFriendStore}'s.
 */
final class Friendships {
  private Friendships() {}

  /** {@code userId}'s friends with what they share, ordered by name. */
  static List<FriendView> of(Tx tx, long userId) throws SQLException {
    return tx.list(
        "SELECT u.id, u.name, u.shared_time, u.shared_location FROM friendships f"
            + " JOIN users u ON u.id = f.friend_id WHERE f.user_id = ? ORDER BY u.name_key",
        ps -> ps.setLong(1, userId),
        rs -> new FriendView(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)));
  }

  static List<Long> ids(Tx tx, long userId) throws SQLException {
    return tx.list(
        "SELECT friend_id FROM friendships WHERE user_id = ?",
        ps -> ps.setLong(1, userId),
        rs -> rs.getLong(1));
  }

  static boolean exists(Tx tx, long a, long b) throws SQLException {
    PreparedStatement ps =
        tx.prepare("SELECT 1 FROM friendships WHERE user_id = ? AND friend_id = ?");
    ps.setLong(1, a);
    ps.setLong(2, b);
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next();
    }
  }

  static int count(Tx tx, long userId) throws SQLException {
    PreparedStatement ps = tx.prepare("SELECT COUNT(*) FROM friendships WHERE user_id = ?");
    ps.setLong(1, userId);
    try (ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** Makes {@code a} and {@code b} friends both ways; nothing changes for friends already. */
  static void add(Tx tx, long a, long b, long nowMillis) throws SQLException {
    PreparedStatement ps =
        tx.prepare(
            "INSERT INTO friendships (user_id, friend_id, created_at) VALUES (?, ?, ?)"
                + " ON CONFLICT (user_id, friend_id) DO NOTHING");
    ps.setLong(1, a);
    ps.setLong(2, b);
    ps.setLong(3, nowMillis);
    ps.executeUpdate();
    ps.setLong(1, b);
    ps.setLong(2, a);
    ps.setLong(3, nowMillis);
    ps.executeUpdate();
  }

  /** Ends the friendship both ways; false when they were not friends. */
  static boolean remove(Tx tx, long a, long b) throws SQLException {
    PreparedStatement ps =
        tx.prepare(
            "DELETE FROM friendships WHERE (user_id = ? AND friend_id = ?)"
                + " OR (user_id = ? AND friend_id = ?)");
    ps.setLong(1, a);
    ps.setLong(2, b);
    ps.setLong(3, b);
    ps.setLong(4, a);
    return ps.executeUpdate() > 0;
  }
}
