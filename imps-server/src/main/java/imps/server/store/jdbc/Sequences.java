package imps.server.store.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The per-recipient sequence numbers of stored items: {@code users.last_seq} counts up by one in
 * the transaction that stores an item, so one user's items are numbered without gaps in the order
 * their transactions commit (the row stays locked until the commit).
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
}
