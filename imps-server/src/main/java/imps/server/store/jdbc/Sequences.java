package imps.server.store.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The per-recipient sequence numbers of stored items: {@code users.last_seq} counts up by one in
 * the transaction that stores an item, so one user's items are numbered without gaps in the order
 * their transactions commit (the row stays locked until the commit). {@code users.acked_seq} is how
 * far the user's client acknowledged them (acknowledged delivery).
 */
final class Sequences {
  private Sequences() {}

  /** The next sequence number of {@code userId}'s stored items, inside a write. */
  static long next(Tx tx, long userId) throws SQLException {
    PreparedStatement ps =
        tx.prepare("UPDATE users SET last_seq = last_seq + 1 WHERE id = ? RETURNING last_seq");
    ps.setLong(1, userId);
    try (ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        throw new SQLException("no user " + userId);
      }
      return rs.getLong(1);
    }
  }

  /** How far {@code userId} acknowledged its items; 0 for no such user. */
  static long acked(Tx tx, long userId) throws SQLException {
    return tx.one(
            "SELECT acked_seq FROM users WHERE id = ?",
            ps -> ps.setLong(1, userId),
            rs -> rs.getLong(1))
        .orElse(0L);
  }

  /** {@code userId}'s acknowledged and last sequence numbers, empty for no such user. */
  static Optional<long[]> ackedAndLast(Tx tx, long userId) throws SQLException {
    return tx.one(
        "SELECT acked_seq, last_seq FROM users WHERE id = ?",
        ps -> ps.setLong(1, userId),
        rs -> new long[] {rs.getLong(1), rs.getLong(2)});
  }

  static void setAcked(Tx tx, long userId, long upTo) throws SQLException {
    PreparedStatement ps = tx.prepare("UPDATE users SET acked_seq = ? WHERE id = ?");
    ps.setLong(1, upTo);
    ps.setLong(2, userId);
    ps.executeUpdate();
  }
}
