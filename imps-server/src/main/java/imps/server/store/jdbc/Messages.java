package imps.server.store.jdbc;

import imps.server.store.NewMessage;
import imps.server.store.StoredMessage;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code messages} table: one row per stored message, numbered in its recipient's sequence.
 * Statements only; the rules (idempotency, quota, where a backlog page ends) are {@link
 * JdbcMessageStore}'s, the receipts' queries {@link Receipts}', the history pages {@link
 * HistoryPages}'.
 */
final class Messages {
  /** A message with its sender's name, as {@link #row} reads it; callers append the WHERE. */
  static final String SELECT =
      "SELECT m.id, m.seq, m.sender_id, u.name, m.recipient_id, m.body_text, m.body_audio,"
          + " m.accepted_at, m.client_id FROM messages m JOIN users u ON u.id = m.sender_id";

  /**
   * The condition "after the recipient's acknowledged number" ({@code users.acked_seq}, 0 for no
   * such user); its parameter is the recipient's id.
   */
  static final String AFTER_ACKED =
      " AND m.seq > COALESCE((SELECT acked_seq FROM users WHERE id = ?), 0)";

  private static final String UNDELIVERED_SIZES =
      "SELECT seq, COALESCE(LENGTH(body_text), 0) + COALESCE(LENGTH(body_audio), 0)"
          + " FROM messages WHERE recipient_id = ? AND delivered = 0 AND seq > ?"
          + AFTER_ACKED.replace("m.seq", "seq")
          + " ORDER BY seq";

  /**
   * {@link #markDeliveredUpTo}'s update, up to the number that follows it (a parameter, or a
   * subquery); its first parameter is the recipient.
   */
  static final String MARK_DELIVERED_UP_TO =
      "UPDATE messages SET delivered = 1 WHERE recipient_id = ? AND delivered = 0 AND seq <= ";

  /** What {@link #MARK_DELIVERED_UP_TO} returns of each message marked. */
  static final String MARKED_FOR_RECEIPTS = " RETURNING sender_id, client_id, receipts";

  private Messages() {}

  /** The current row of a {@link #SELECT}. */
  static StoredMessage row(ResultSet rs) throws SQLException {
    return new StoredMessage(
        rs.getLong(1),
        rs.getLong(2),
        rs.getLong(3),
        rs.getString(4),
        rs.getLong(5),
        rs.getString(6),
        rs.getBytes(7),
        rs.getString(8),
        rs.getLong(9));
  }

  /** The message {@code senderId} stored earlier under {@code clientId}, if any. */
  static Optional<StoredMessage> byClientId(Tx tx, long senderId, long clientId)
      throws SQLException {
    return tx.one(
        SELECT + " WHERE m.sender_id = ? AND m.client_id = ?",
        ps -> {
          ps.setLong(1, senderId);
          ps.setLong(2, clientId);
        },
        Messages::row);
  }

  /**
   * {@link #waiting}'s query, its two parameters the recipient's id; columns {@code items} and
   * {@code bytes}.
   */
  static final String WAITING =
      "SELECT COUNT(*) AS items, COALESCE(SUM(body_bytes), 0) AS bytes FROM messages"
          + " WHERE recipient_id = ? AND delivered = 0"
          + " AND seq > (SELECT acked_seq FROM users WHERE id = ?)";

  /**
   * What {@code recipientId} has waiting: the number of undelivered messages after its acknowledged
   * sequence number, and the bytes of their bodies; from the index {@code messages_undelivered}
   * alone (it holds {@code body_bytes}), so the cost does not include reading the rows.
   */
  static long[] waiting(Tx tx, long recipientId) throws SQLException {
    return tx.one(
            WAITING,
            ps -> {
              ps.setLong(1, recipientId);
              ps.setLong(2, recipientId);
            },
            rs -> new long[] {rs.getLong(1), rs.getLong(2)})
        .orElse(new long[2]);
  }

  /**
   * The size of {@code m}'s body as the quota counts it (column {@code body_bytes}): its text in
   * UTF-8, or its clip.
   */
  static long bodyBytes(NewMessage m) {
    return m.text() != null ? m.text().getBytes(StandardCharsets.UTF_8).length : m.audio().length;
  }

  /**
   * The columns of a new message that {@link #bindRow} binds, in its order; a statement that stores
   * one appends {@code delivered} and {@code seq}.
   */
  static final String ROW_COLUMNS =
      "sender_id, recipient_id, body_text, body_audio, accepted_at, client_id, created_at,"
          + " receipts, body_bytes";

  /** As many parameters as {@link #ROW_COLUMNS} has columns. */
  static final String ROW_PARAMETERS = "?, ?, ?, ?, ?, ?, ?, ?, ?";

  /**
   * What makes the insert of a message whose sender stored one with the same client id before store
   * nothing (the unique index {@code messages_client} finds it: no look-up first, since resends are
   * rare).
   */
  static final String CLIENT_ID_TAKEN =
      " ON CONFLICT (sender_id, client_id) WHERE client_id IS NOT NULL DO NOTHING";

  /**
   * Binds {@code m} to the parameters of {@link #ROW_COLUMNS} from {@code first} on; receipts are
   * kept only for a message with a client id that asked for them.
   *
   * @param bytes {@link #bodyBytes}{@code (m)}
   * @return the index of the next parameter
   */
  static int bindRow(PreparedStatement ps, int first, NewMessage m, long bytes)
      throws SQLException {
    int i = first;
    ps.setLong(i++, m.senderId());
    ps.setLong(i++, m.recipientId());
    if (m.text() != null) {
      ps.setString(i++, m.text());
    } else {
      ps.setNull(i++, Types.VARCHAR);
    }
    if (m.audio() != null) {
      ps.setBytes(i++, m.audio());
    } else {
      ps.setNull(i++, Types.BINARY);
    }
    ps.setString(i++, m.acceptedAt());
    if (m.clientId() != 0) {
      ps.setLong(i++, m.clientId());
    } else {
      ps.setNull(i++, Types.BIGINT);
    }
    ps.setLong(i++, m.createdAt());
    ps.setInt(i++, m.wantsReceipts() && m.clientId() != 0 ? 1 : 0);
    ps.setLong(i++, bytes);
    return i;
  }

  /**
   * Stores {@code m} undelivered with sequence number {@code seq}, unless its client id is taken
   * ({@link #CLIENT_ID_TAKEN}); tells the writer's conversation index, if it keeps one ({@link
   * ConversationIndex}). Every message is stored here.
   *
   * @param bytes {@link #bodyBytes}{@code (m)}
   * @return its id, or -1 when its client id was taken
   */
  static long insert(Tx tx, NewMessage m, long seq, long bytes) throws SQLException {
    PreparedStatement ps =
        tx.prepare(
            "INSERT INTO messages ("
                + ROW_COLUMNS
                + ", delivered, seq) VALUES ("
                + ROW_PARAMETERS
                + ", 0, ?)"
                + CLIENT_ID_TAKEN
                + " RETURNING id");
    int next = bindRow(ps, 1, m, bytes);
    ps.setLong(next, seq);
    long id;
    try (ResultSet rs = ps.executeQuery()) {
      id = rs.next() ? rs.getLong(1) : -1;
    }
    if (id > 0 && tx.conversations() != null) {
      tx.conversations().stored(m.senderId(), m.recipientId(), id);
    }
    return id;
  }

  /**
   * Deletes or strips what was delivered (see {@link
   * imps.server.store.MessageStore#purgeDelivered}).
   *
   * @return rows deleted or stripped
   */
  static int purgeDelivered(Tx tx, Instant bodiesBefore, Instant rowsBefore) throws SQLException {
    Sequences.beforeDeletingItems(tx);
    String withBodies =
        " WHERE delivered = 1 AND (body_text IS NOT NULL OR body_audio IS NOT NULL)"
            + " AND created_at < ?";
    PreparedStatement plain =
        tx.prepare("DELETE FROM messages" + withBodies + " AND client_id IS NULL AND receipts = 0");
    plain.setLong(1, bodiesBefore.toEpochMilli());
    int n = plain.executeUpdate();
    PreparedStatement strip =
        tx.prepare("UPDATE messages SET body_text = NULL, body_audio = NULL" + withBodies);
    strip.setLong(1, bodiesBefore.toEpochMilli());
    n += strip.executeUpdate();
    PreparedStatement rows =
        tx.prepare("DELETE FROM messages WHERE delivered = 1 AND created_at < ?");
    rows.setLong(1, Math.min(bodiesBefore.toEpochMilli(), rowsBefore.toEpochMilli()));
    return n + rows.executeUpdate();
  }

  /**
   * Sequence number and body bytes of {@code recipientId}'s first {@code maxItems} undelivered
   * messages after {@code afterSeq} and after the recipient's acknowledged number, in sequence
   * order, without reading the bodies. The acknowledged number is read in the same statement
   * ({@link #AFTER_ACKED}): a login with nothing waiting costs one statement, not two.
   */
  static List<long[]> undeliveredSizes(Tx tx, long recipientId, long afterSeq, int maxItems)
      throws SQLException {
    return tx.list(
        UNDELIVERED_SIZES + LiteralLimit.atLeast(maxItems),
        ps -> {
          ps.setLong(1, recipientId);
          ps.setLong(2, afterSeq);
          ps.setLong(3, recipientId);
        },
        rs -> new long[] {rs.getLong(1), rs.getLong(2)},
        maxItems);
  }

  /**
   * {@code recipientId}'s undelivered messages after {@code afterSeq} and after the recipient's
   * acknowledged number ({@link #AFTER_ACKED}), up to {@code upToSeq}.
   */
  static List<StoredMessage> undelivered(Tx tx, long recipientId, long afterSeq, long upToSeq)
      throws SQLException {
    return tx.list(
        SELECT
            + " WHERE m.recipient_id = ? AND m.delivered = 0 AND m.seq > ?"
            + AFTER_ACKED
            + " AND m.seq <= ? ORDER BY m.seq",
        ps -> {
          ps.setLong(1, recipientId);
          ps.setLong(2, afterSeq);
          ps.setLong(3, recipientId);
          ps.setLong(4, upToSeq);
        },
        Messages::row);
  }

  /** Marks the messages delivered: one statement each, in one batch. */
  static void markDelivered(Tx tx, List<Long> messageIds) throws SQLException {
    PreparedStatement ps = tx.prepare("UPDATE messages SET delivered = 1 WHERE id = ?");
    for (long id : messageIds) {
      ps.setLong(1, id);
      ps.addBatch();
    }
    ps.executeBatch();
  }

  /**
   * {@link #markDelivered} in one statement, the ids as an array parameter (PostgreSQL): the
   * database plans and runs one statement for the batch instead of one per message.
   */
  static void markDeliveredAtOnce(Tx tx, List<Long> messageIds) throws SQLException {
    PreparedStatement ps = tx.prepare("UPDATE messages SET delivered = 1 WHERE id = ANY (?)");
    ps.setArray(1, tx.connection().createArrayOf("bigint", messageIds.toArray()));
    ps.executeUpdate();
  }

  /**
   * Marks every undelivered message of {@code recipientId} up to {@code upToSeq} delivered (those
   * up to its acknowledged number already are: each acknowledgement marks what it covers).
   *
   * @return the senders to tell, of the messages marked that asked for receipts, each with the
   *     highest client id among them
   */
  static Map<Long, Long> markDeliveredUpTo(Tx tx, long recipientId, long upToSeq)
      throws SQLException {
    Map<Long, Long> receipts = new HashMap<>();
    tx.list(
            MARK_DELIVERED_UP_TO + "?" + MARKED_FOR_RECEIPTS,
            ps -> {
              ps.setLong(1, recipientId);
              ps.setLong(2, upToSeq);
            },
            rs -> rs.getInt(3) == 1 ? new long[] {rs.getLong(1), rs.getLong(2)} : null)
        .forEach(
            r -> {
              if (r != null) {
                receipts.merge(r[0], r[1], Math::max);
              }
            });
    return receipts;
  }
}
