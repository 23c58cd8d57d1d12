package imps.server.store.jdbc;

import imps.server.store.AddRequestResult;
import imps.server.store.PendingRequest;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The {@code friend_requests} table: requests waiting for an answer, at most one per direction and
 * pair, each numbered in the recipient's sequence. Statements only; the rules are {@link
 * JdbcFriendStore}'s.
 */
final class FriendRequests {
  private static final String SELECT =
      "SELECT r.id, r.seq, r.from_id, u.name FROM friend_requests r"
          + " JOIN users u ON u.id = r.from_id";

  private FriendRequests() {}

  /** The requests waiting for {@code toId}, oldest first. */
  static List<PendingRequest> pendingFor(Tx tx, long toId) throws SQLException {
    return tx.list(
        SELECT + " WHERE r.to_id = ? ORDER BY r.seq",
        ps -> ps.setLong(1, toId),
        rs -> request(rs, toId));
  }

  static Optional<PendingRequest> pending(Tx tx, long fromId, long toId) throws SQLException {
    return tx.one(
        SELECT + " WHERE r.from_id = ? AND r.to_id = ?",
        ps -> {
          ps.setLong(1, fromId);
          ps.setLong(2, toId);
        },
        rs -> request(rs, toId));
  }

  static Optional<PendingRequest> oldestPending(Tx tx, long toId) throws SQLException {
    return tx.one(
        SELECT + " WHERE r.to_id = ? ORDER BY r.seq LIMIT 1",
        ps -> ps.setLong(1, toId),
        rs -> request(rs, toId));
  }

  /** Requests pending from {@code fromId}, whoever they are for (indexed). */
  static int countFrom(Tx tx, long fromId) throws SQLException {
    return countWhere(tx, "from_id", fromId);
  }

  /** Requests pending for {@code toId}, whoever they are from (indexed). */
  static int countTo(Tx tx, long toId) throws SQLException {
    return countWhere(tx, "to_id", toId);
  }

  /** Requests pending with {@code column} (from_id or to_id) = {@code userId}; both indexed. */
  private static int countWhere(Tx tx, String column, long userId) throws SQLException {
    PreparedStatement ps =
        tx.prepare("SELECT COUNT(*) FROM friend_requests WHERE " + column + " = ?");
    ps.setLong(1, userId);
    try (ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** Stores a new request with the recipient's next sequence number. */
  static AddRequestResult.Pending insert(Tx tx, long fromId, long toId, long nowMillis)
      throws SQLException {
    long seq = Sequences.next(tx, toId);
    PreparedStatement ps =
        tx.prepare(
            "INSERT INTO friend_requests (from_id, to_id, created_at, seq)"
                + " VALUES (?, ?, ?, ?) RETURNING id");
    ps.setLong(1, fromId);
    ps.setLong(2, toId);
    ps.setLong(3, nowMillis);
    ps.setLong(4, seq);
    try (ResultSet rs = ps.executeQuery()) {
      rs.next();
      return new AddRequestResult.Pending(rs.getLong(1), seq, true);
    }
  }

  static void delete(Tx tx, long fromId, long toId) throws SQLException {
    Sequences.beforeDeletingItems(tx);
    PreparedStatement ps =
        tx.prepare("DELETE FROM friend_requests WHERE from_id = ? AND to_id = ?");
    ps.setLong(1, fromId);
    ps.setLong(2, toId);
    ps.executeUpdate();
  }

  /** Deletes requests created before {@code createdBeforeMillis}; returns how many. */
  static int deleteOlderThan(Tx tx, long createdBeforeMillis) throws SQLException {
    Sequences.beforeDeletingItems(tx);
    PreparedStatement requests = tx.prepare("DELETE FROM friend_requests WHERE created_at < ?");
    requests.setLong(1, createdBeforeMillis);
    return requests.executeUpdate();
  }

  private static PendingRequest request(ResultSet rs, long toId) throws SQLException {
    return new PendingRequest(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4), toId);
  }
}
