package imps.server.store.jdbc;

import imps.server.store.UnreadTally;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The {@code read_marks} table (migration V10): how far each user has read each peer's messages, as
 * the id of the newest message read, advanced by C_READ; and the unread counts it gives
 * (C_UNREAD_REQ, PROTOCOL.md 8.8). Within one sender and recipient, message ids and the recipient's
 * sequence numbers grow together (both are given out in the storing transaction, which holds the
 * recipient's row), so "up to sequence number n" is "up to the id of the last such message".
 * Statements only.
 */
final class ReadMarks {
  private ReadMarks() {}

  /**
   * The id of the newest message from {@code peerId} that {@code readerId} has read; 0 for none.
   */
  static long upToId(Tx tx, long readerId, long peerId) throws SQLException {
    return tx.one(
            "SELECT up_to_id FROM read_marks WHERE user_id = ? AND peer_id = ?",
            ps -> {
              ps.setLong(1, readerId);
              ps.setLong(2, peerId);
            },
            rs -> rs.getLong(1))
        .orElse(0L);
  }

  /**
   * Marks {@code peerId}'s messages to {@code readerId} up to the reader's item {@code upToSeq} as
   * read; never moves back. Reads only the messages after the current mark (the unread ones), found
   * as {@code dialect} says ({@link Conversations}).
   */
  static void advance(Tx tx, Dialect dialect, long readerId, long peerId, long upToSeq)
      throws SQLException {
    long current = upToId(tx, readerId, peerId);
    PreparedStatement q;
    if (tx.conversations() != null) {
      // On the only writer, whose time limits the message rate: rather than read the messages above
      // the index's mark by id (about a second of everyone's), insert this conversation's waiting
      // entries, so that all of its messages are found through the table, above the mark or not.
      tx.conversations().insertNow(tx, peerId, readerId);
      q =
          tx.prepare(
              "SELECT m.id, m.seq FROM conversations c JOIN messages m ON m.id = c.id"
                  + " WHERE c.sender_id = ? AND c.recipient_id = ? AND c.id > ? ORDER BY c.id");
      q.setLong(1, peerId);
      q.setLong(2, readerId);
      q.setLong(3, current);
    } else {
      q =
          tx.prepare(
              Conversations.select(
                  dialect, "m.id AS id, m.seq AS seq", Conversations.ID + " > ?", false, -1));
      Conversations.bind(dialect, q, 1, peerId, readerId, current);
    }
    long upTo = current;
    try (ResultSet rs = q.executeQuery()) {
      while (rs.next() && rs.getLong(2) <= upToSeq) {
        upTo = rs.getLong(1);
      }
    }
    if (upTo == current) {
      return;
    }
    PreparedStatement ps =
        tx.prepare(
            "INSERT INTO read_marks (user_id, peer_id, up_to_id) VALUES (?, ?, ?)"
                + " ON CONFLICT (user_id, peer_id) DO UPDATE SET up_to_id = excluded.up_to_id");
    ps.setLong(1, readerId);
    ps.setLong(2, peerId);
    ps.setLong(3, upTo);
    ps.executeUpdate();
  }

  /**
   * {@code userId}'s friends with messages after their read mark, each counted up to {@code cap}
   * (index ranges of the unread messages only, {@link Conversations}; where conversations are
   * indexed in batches, the messages above the index's mark are read once for all friends), in name
   * order.
   *
   * @param unflushedLast {@link JdbcDatabase#unflushedLastSeq}{@code (userId)}, asked before this
   *     read began
   */
  static UnreadTally tally(Tx tx, Dialect dialect, long userId, int cap, long unflushedLast)
      throws SQLException {
    long asOf = Math.max(unflushedLast, Sequences.last(tx, userId));
    List<Object[]> friends =
        tx.list(
            "SELECT f.friend_id, u.name, COALESCE(r.up_to_id, 0) FROM friendships f"
                + " JOIN users u ON u.id = f.friend_id"
                + " LEFT JOIN read_marks r ON r.user_id = f.user_id AND r.peer_id = f.friend_id"
                + " WHERE f.user_id = ?",
            ps -> ps.setLong(1, userId),
            rs -> new Object[] {rs.getLong(1), rs.getString(2), rs.getLong(3)});
    // SQLite: the messages above the conversation index's mark once for every friend, the rest of
    // each conversation through the index; elsewhere each conversation through its index.
    Conversations.Recent recent =
        dialect.indexesConversationsInBatches() ? Conversations.recentTo(tx, userId, asOf) : null;
    List<UnreadTally.Friend> out = new ArrayList<>();
    for (Object[] f : friends) {
      long friend = (Long) f[0];
      long readUpTo = (Long) f[2];
      int count;
      if (recent != null) {
        count = recent.countAfter(friend, readUpTo, cap);
        if (count < cap) {
          count +=
              Conversations.countUpTo(
                  tx, friend, userId, readUpTo, recent.mark(), asOf, cap - count);
        }
      } else {
        int counted =
            tx.one(
                    "SELECT COUNT(*) FROM ("
                        + Conversations.select(
                            dialect,
                            "m.id AS id",
                            Conversations.ID + " > ? AND m.seq <= ?",
                            false,
                            cap)
                        + ") unread",
                    ps -> Conversations.bind(dialect, ps, 1, friend, userId, readUpTo, asOf),
                    rs -> rs.getInt(1))
                .orElse(0);
        count = Math.min(counted, cap);
      }
      if (count > 0) {
        out.add(new UnreadTally.Friend((String) f[1], count));
      }
    }
    out.sort(Comparator.comparing(UnreadTally.Friend::name));
    return new UnreadTally(asOf, out);
  }
}
