package imps.server.store.jdbc;

import imps.server.store.StoredReceipt;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The {@code receipts} table (one row per sender, peer and state, delivered or read, advanced in
 * place) and the queries of {@code messages} that tell which receipts are due: only messages whose
 * sender asked for receipts ({@code receipts = 1}) count. Statements only; when a receipt is due is
 * {@link JdbcMessageStore}'s rule.
 */
final class Receipts {
  static final int DELIVERED = 2;

  /**
   * What makes an insert into {@code receipts} advance the receipt already there instead, only if
   * it moves forward; returns the id of a receipt stored or advanced, nothing otherwise.
   */
  static final String ADVANCE_IF_FORWARD =
      " ON CONFLICT (user_id, peer_id, state) DO UPDATE"
          + " SET up_to = excluded.up_to, seq = excluded.seq"
          + " WHERE receipts.up_to < excluded.up_to RETURNING id";

  private static final int READ = 3;

  private Receipts() {}

  /**
   * The highest client id of {@code peerId}'s messages to {@code readerId} up to {@code upToSeq}
   * that asked for receipts; 0 for none.
   */
  static long readUpTo(Tx tx, long readerId, long peerId, long upToSeq) throws SQLException {
    return tx.one(
            "SELECT COALESCE(MAX(client_id), 0) FROM messages WHERE recipient_id = ?"
                + " AND sender_id = ? AND seq <= ? AND receipts = 1",
            ps -> {
              ps.setLong(1, readerId);
              ps.setLong(2, peerId);
              ps.setLong(3, upToSeq);
            },
            rs -> rs.getLong(1))
        .orElse(0L);
  }

  /**
   * Stores (or advances) the receipt of {@code userId}'s messages to {@code peerId}; empty when it
   * would not advance. A receipt that advances gets a new sequence number: it is a new item.
   */
  static Optional<StoredReceipt> advance(Tx tx, long userId, long peerId, boolean read, long upTo)
      throws SQLException {
    return advance(tx, userId, peerId, () -> name(tx, peerId), read, upTo);
  }

  /** As {@link #advance(Tx, long, long, boolean, long)}, with the peer's name known. */
  static Optional<StoredReceipt> advance(
      Tx tx, long userId, long peerId, String peerName, boolean read, long upTo)
      throws SQLException {
    return advance(tx, userId, peerId, () -> peerName, read, upTo);
  }

  /** The peer's name, asked only when the receipt advances. */
  @FunctionalInterface
  private interface Name {
    String get() throws SQLException;
  }

  private static Optional<StoredReceipt> advance(
      Tx tx, long userId, long peerId, Name peer, boolean read, long upTo) throws SQLException {
    int state = read ? READ : DELIVERED;
    // The number first (it locks the user's row where rows are locked), then one upsert that
    // stores or advances the receipt only if it moves forward; one that does not move gives the
    // number back, so the user's items stay numbered without gaps.
    long seq = Sequences.next(tx, userId);
    Optional<Long> id =
        tx.one(
            "INSERT INTO receipts (up_to, seq, user_id, peer_id, state) VALUES (?, ?, ?, ?, ?)"
                + ADVANCE_IF_FORWARD,
            ps -> {
              ps.setLong(1, upTo);
              ps.setLong(2, seq);
              ps.setLong(3, userId);
              ps.setLong(4, peerId);
              ps.setInt(5, state);
            },
            rs -> rs.getLong(1));
    if (id.isEmpty()) {
      Sequences.giveBack(tx, userId);
      return Optional.empty();
    }
    return Optional.of(new StoredReceipt(id.get(), seq, userId, peerId, peer.get(), read, upTo));
  }

  /** {@code userId}'s name; empty for no such user. */
  static String name(Tx tx, long userId) throws SQLException {
    return tx.one(
            "SELECT name FROM users WHERE id = ?", q -> q.setLong(1, userId), rs -> rs.getString(1))
        .orElse("");
  }

  /** {@code userId}'s receipts after {@code afterSeq} and after what it acknowledged, in order. */
  static List<StoredReceipt> unacknowledged(Tx tx, long userId, long afterSeq) throws SQLException {
    return tx.list(
        "SELECT r.id, r.seq, r.user_id, r.peer_id, u.name, r.state, r.up_to FROM receipts r"
            + " JOIN users u ON u.id = r.peer_id WHERE r.user_id = ? AND r.seq > ?"
            + " AND r.seq > (SELECT acked_seq FROM users WHERE id = ?) ORDER BY r.seq",
        ps -> {
          ps.setLong(1, userId);
          ps.setLong(2, afterSeq);
          ps.setLong(3, userId);
        },
        rs ->
            new StoredReceipt(
                rs.getLong(1),
                rs.getLong(2),
                rs.getLong(3),
                rs.getLong(4),
                rs.getString(5),
                rs.getInt(6) == READ,
                rs.getLong(7)));
  }
}
