package imps.server.store.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The per-recipient sequence numbers of stored items: {@code users.last_seq} counts up by one in
 * the transaction that stores an item, so one user's items are numbered without gaps in the order
 * their transactions commit (the row stays locked until the commit). Where the database has one
 * writer (SQLite) the counters live in its {@link SequenceCounters} and reach {@code last_seq}
 * lazily, with the same promise. {@code users.acked_seq} is how far the user's client acknowledged
 * them (acknowledged delivery).
 */
final class Sequences {
  /** Takes a user's next number ({@code users.last_seq}); parameter the user, row the number. */
  static final String NEXT =
      "UPDATE users SET last_seq = last_seq + 1 WHERE id = ? RETURNING last_seq";

  /**
   * The acknowledged number a user's row may take: the one acknowledged (both parameters), but
   * never past {@code last_seq}, what was given out.
   */
  static final String CAPPED_ACK = "CASE WHEN ? < last_seq THEN ? ELSE last_seq END";

  private Sequences() {}

  /** The next sequence number of {@code userId}'s stored items, inside a write. */
  static long next(Tx tx, long userId) throws SQLException {
    if (tx.counters() != null) {
      return tx.counters().next(tx, userId);
    }
    PreparedStatement ps = tx.prepare(NEXT);
    ps.setLong(1, userId);
    try (ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        throw new SQLException("no user " + userId);
      }
      return rs.getLong(1);
    }
  }

  /**
   * Gives back the number {@link #next} just gave in this write, for an item that was not stored
   * after all: the user's row stays locked until the commit, so no other item took a later one.
   */
  static void giveBack(Tx tx, long userId) throws SQLException {
    if (tx.counters() != null) {
      tx.counters().giveBack(tx, userId);
      return;
    }
    PreparedStatement ps = tx.prepare("UPDATE users SET last_seq = last_seq - 1 WHERE id = ?");
    ps.setLong(1, userId);
    ps.executeUpdate();
  }

  /**
   * The last sequence number given out to {@code userId}; 0 for no such user. On a read connection,
   * the column only: see {@link JdbcDatabase#unflushedLastSeq}.
   */
  static long last(Tx tx, long userId) throws SQLException {
    long last = tx.counters() != null ? tx.counters().current(tx, userId) : stored(tx, userId);
    return Math.max(0, last);
  }

  /** {@code users.last_seq} of {@code userId}; -1 for no such user. */
  static long stored(Tx tx, long userId) throws SQLException {
    return tx.one(
            "SELECT last_seq FROM users WHERE id = ?",
            ps -> ps.setLong(1, userId),
            rs -> rs.getLong(1))
        .orElse(-1L);
  }

  /**
   * Before a write deletes stored items: with {@link SequenceCounters}, the counters are written to
   * {@code users.last_seq} first, in the same transaction, so that no number is forgotten with the
   * rows that held it.
   */
  static void beforeDeletingItems(Tx tx) throws SQLException {
    if (tx.counters() != null) {
      tx.counters().flush(tx);
    }
  }

  /**
   * Moves {@code userId}'s acknowledged sequence number up to {@code seq}, but never past what was
   * given out ({@code last_seq}) nor back: one statement, or none where the only writer keeps the
   * numbers in memory ({@link SequenceCounters#acknowledge}).
   *
   * @return the new acknowledged number; empty when it did not move (or no such user)
   */
  static Optional<Long> advanceAcked(Tx tx, long userId, long seq) throws SQLException {
    if (tx.counters() != null) {
      long capped = Math.min(seq, tx.counters().current(tx, userId));
      if (capped <= tx.counters().acked(tx, userId)) {
        return Optional.empty();
      }
      tx.counters().acknowledge(userId, capped);
      return Optional.of(capped);
    }
    String capped = CAPPED_ACK;
    return tx.one(
        "UPDATE users SET acked_seq = "
            + capped
            + " WHERE id = ? AND acked_seq < "
            + capped
            + " RETURNING acked_seq",
        ps -> {
          ps.setLong(1, seq);
          ps.setLong(2, seq);
          ps.setLong(3, userId);
          ps.setLong(4, seq);
          ps.setLong(5, seq);
        },
        rs -> rs.getLong(1));
  }

  /** {@code users.acked_seq} of {@code userId}; 0 for no such user. */
  static long storedAcked(Tx tx, long userId) throws SQLException {
    return tx.one(
            "SELECT acked_seq FROM users WHERE id = ?",
            ps -> ps.setLong(1, userId),
            rs -> rs.getLong(1))
        .orElse(0L);
  }
}
