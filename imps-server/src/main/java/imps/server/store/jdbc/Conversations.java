package imps.server.store.jdbc;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The query of one sender's messages to one recipient in id order, as history pages ({@link
 * HistoryPages}) and read marks ({@link ReadMarks}) read them: bounded index ranges, however long
 * the conversation and however many others there are. Where the {@link Dialect} has the table
 * {@code conversations} (SQLite, {@link ConversationIndex}), the messages up to its mark are found
 * through it and joined to {@code messages}, and those above it are read from {@code messages} by
 * id (about a second of messages); both parts in one statement, so in one snapshot with the mark.
 * Unread counts, which read many conversations of one recipient, read that range once ({@link
 * #recentTo}) and each conversation up to the mark ({@link #countUpTo}). Elsewhere (PostgreSQL) the
 * index {@code messages_conversation} finds them. Statements only.
 */
final class Conversations {
  /** Where a condition names the message id (it becomes the indexed column). */
  static final String ID = "{id}";

  private static final String MARK = "(SELECT up_to_id FROM conversations_mark)";

  private Conversations() {}

  /**
   * A statement selecting {@code columns} (of {@code messages m}, aliased; one named {@code id}) of
   * the messages from one sender to one recipient that meet {@code condition} (over {@code m}, the
   * id written {@link #ID}), in id order: all of them if {@code limit} is negative, else at least
   * the first {@code limit} ({@link LiteralLimit#atLeast}: the reader stops at {@code limit}). Its
   * parameters are bound by {@link #bind}.
   */
  static String select(
      Dialect dialect, String columns, String condition, boolean descending, int limit) {
    String order = (descending ? " DESC" : "") + (limit < 0 ? "" : LiteralLimit.atLeast(limit));
    if (!dialect.indexesConversationsInBatches()) {
      return "SELECT "
          + columns
          + " FROM messages m WHERE m.sender_id = ? AND m.recipient_id = ? AND "
          + condition.replace(ID, "m.id")
          + " ORDER BY m.id"
          + order;
    }
    String indexed =
        "SELECT "
            + columns
            + " FROM conversations c JOIN messages m ON m.id = c.id"
            + " WHERE c.sender_id = ? AND c.recipient_id = ? AND c.id <= "
            + MARK
            + " AND "
            + condition.replace(ID, "c.id")
            + " ORDER BY c.id"
            + order;
    String above =
        "SELECT "
            + columns
            + " FROM messages m WHERE m.id > "
            + MARK
            + " AND m.sender_id = ? AND m.recipient_id = ? AND "
            + condition.replace(ID, "m.id")
            + " ORDER BY m.id"
            + order;
    return "SELECT * FROM (SELECT * FROM ("
        + indexed
        + ") i UNION ALL SELECT * FROM ("
        + above
        + ") f) p ORDER BY id"
        + order;
  }

  /**
   * Binds the parameters of a {@link #select} statement from {@code first} on: the sender, the
   * recipient and {@code condition}'s parameters ({@code values}).
   *
   * @return the index of the next parameter
   */
  static int bind(
      Dialect dialect,
      PreparedStatement ps,
      int first,
      long senderId,
      long recipientId,
      long... values)
      throws SQLException {
    int i = first;
    int parts = dialect.indexesConversationsInBatches() ? 2 : 1;
    for (int p = 0; p < parts; p++) {
      ps.setLong(i++, senderId);
      ps.setLong(i++, recipientId);
      for (long v : values) {
        ps.setLong(i++, v);
      }
    }
    return i;
  }

  /**
   * The messages to one recipient above the mark of {@code conversations}, by sender, with the mark
   * they are above ({@link #recentTo}): read once for all of the recipient's conversations.
   */
  record Recent(long mark, Map<Long, List<Long>> idsBySender) {
    /** How many of {@code senderId}'s are after {@code afterId}, at most {@code cap}. */
    int countAfter(long senderId, long afterId, int cap) {
      int n = 0;
      for (long id : idsBySender.getOrDefault(senderId, List.of())) {
        if (id > afterId && n < cap) {
          n++;
        }
      }
      return n;
    }
  }

  /**
   * Where the dialect indexes conversations in batches: the messages to {@code recipientId} above
   * the mark with sequence numbers up to {@code maxSeq} (one range of about a second of messages,
   * however many conversations), and the mark, in one snapshot. The mark never moves back, so
   * {@link #countUpTo} with it reads the rest of each conversation in a later snapshot, counting no
   * message twice.
   */
  static Recent recentTo(Tx tx, long recipientId, long maxSeq) throws SQLException {
    long[] mark = {0};
    Map<Long, List<Long>> bySender = new HashMap<>();
    tx.list(
        "SELECT k.up_to_id, m.sender_id, m.id FROM conversations_mark k LEFT JOIN messages m"
            + " ON m.id > k.up_to_id AND m.recipient_id = ? AND m.seq <= ?",
        ps -> {
          ps.setLong(1, recipientId);
          ps.setLong(2, maxSeq);
        },
        rs -> {
          mark[0] = rs.getLong(1);
          long id = rs.getLong(3);
          if (!rs.wasNull()) {
            bySender.computeIfAbsent(rs.getLong(2), k -> new ArrayList<>()).add(id);
          }
          return null;
        });
    return new Recent(mark[0], bySender);
  }

  /**
   * How many messages from {@code senderId} to {@code recipientId} after {@code afterId} and up to
   * {@code upToId}, a mark of {@code conversations} ({@link #recentTo}), have sequence numbers up
   * to {@code maxSeq}; at most {@code cap} (a range of the table's primary key).
   */
  static int countUpTo(
      Tx tx, long senderId, long recipientId, long afterId, long upToId, long maxSeq, int cap)
      throws SQLException {
    int count =
        tx.one(
                "SELECT COUNT(*) FROM (SELECT 1 FROM conversations c JOIN messages m ON m.id = c.id"
                    + " WHERE c.sender_id = ? AND c.recipient_id = ? AND c.id > ? AND c.id <= ?"
                    + " AND m.seq <= ?"
                    + LiteralLimit.atLeast(cap)
                    + ") counted",
                ps -> {
                  ps.setLong(1, senderId);
                  ps.setLong(2, recipientId);
                  ps.setLong(3, afterId);
                  ps.setLong(4, upToId);
                  ps.setLong(5, maxSeq);
                },
                rs -> rs.getInt(1))
            .orElse(0);
    return Math.min(count, cap);
  }
}
