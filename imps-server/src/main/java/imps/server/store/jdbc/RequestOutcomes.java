package imps.server.store.jdbc;

import imps.server.store.Outcome;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The {@code request_outcomes} table: the answer to a friend request, stored for its sender (in the
 * sender's sequence) until delivered or acknowledged. Statements only; the rules are {@link
 * JdbcFriendStore}'s.
 */
final class RequestOutcomes {
  private static final String SELECT =
      "SELECT o.id, o.seq, o.user_id, o.other_id, u.name, o.accepted FROM request_outcomes o"
          + " JOIN users u ON u.id = o.other_id";

  private RequestOutcomes() {}

  /**
   * Stores that {@code otherId} answered {@code userId}'s request, in {@code userId}'s sequence.
   */
  static Outcome insert(Tx tx, long userId, long otherId, boolean accepted, long nowMillis)
      throws SQLException {
    long seq = Sequences.next(tx, userId);
    PreparedStatement ps =
        tx.prepare(
            "INSERT INTO request_outcomes (user_id, other_id, accepted, delivered, created_at, seq)"
                + " VALUES (?, ?, ?, 0, ?, ?) RETURNING id");
    ps.setLong(1, userId);
    ps.setLong(2, otherId);
    ps.setInt(3, accepted ? 1 : 0);
    ps.setLong(4, nowMillis);
    ps.setLong(5, seq);
    long id;
    try (ResultSet rs = ps.executeQuery()) {
      rs.next();
      id = rs.getLong(1);
    }
    PreparedStatement name = tx.prepare("SELECT name FROM users WHERE id = ?");
    name.setLong(1, otherId);
    try (ResultSet rs = name.executeQuery()) {
      rs.next();
      return new Outcome(id, seq, userId, otherId, rs.getString(1), accepted);
    }
  }

  /** Outcomes for {@code userId} neither delivered nor acknowledged, after {@code afterSeq}. */
  static List<Outcome> undelivered(Tx tx, long userId, long afterSeq) throws SQLException {
    return tx.list(
        SELECT
            + " WHERE o.user_id = ? AND o.delivered = 0 AND o.seq > ?"
            + " AND o.seq > (SELECT acked_seq FROM users WHERE id = ?) ORDER BY o.seq",
        ps -> {
          ps.setLong(1, userId);
          ps.setLong(2, afterSeq);
          ps.setLong(3, userId);
        },
        RequestOutcomes::outcome);
  }

  static Optional<Outcome> byId(Tx tx, long outcomeId) throws SQLException {
    return tx.one(
        SELECT + " WHERE o.id = ?", ps -> ps.setLong(1, outcomeId), RequestOutcomes::outcome);
  }

  static void markDelivered(Tx tx, List<Long> outcomeIds) throws SQLException {
    PreparedStatement ps = tx.prepare("UPDATE request_outcomes SET delivered = 1 WHERE id = ?");
    for (long id : outcomeIds) {
      ps.setLong(1, id);
      ps.addBatch();
    }
    ps.executeBatch();
  }

  /** Deletes outcomes delivered or acknowledged; returns how many. */
  static int deleteDelivered(Tx tx) throws SQLException {
    Sequences.beforeDeletingItems(tx);
    PreparedStatement outcomes =
        tx.prepare(
            "DELETE FROM request_outcomes WHERE delivered = 1"
                + " OR seq <= (SELECT acked_seq FROM users WHERE users.id = user_id)");
    return outcomes.executeUpdate();
  }

  private static Outcome outcome(ResultSet rs) throws SQLException {
    return new Outcome(
        rs.getLong(1),
        rs.getLong(2),
        rs.getLong(3),
        rs.getLong(4),
        rs.getString(5),
        rs.getInt(6) == 1);
  }
}
