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
   * What {@code recipientId} has waiting: the number of undelivered messages after its acknowledged
   * sequence number, and the bytes of their bodies; from the index {@code messages_undelivered}
   * alone (it holds {@code body_bytes}), so the cost does not include reading the rows.
   */
  static long[] waiting(Tx tx, long recipientId) throws SQLException {
    return tx.one(
            "SELECT COUNT(*), COALESCE(SUM(body_bytes), 0) FROM messages"
                + " WHERE recipient_id = ? AND delivered = 0"
                + " AND seq > (SELECT acked_seq FROM users WHERE id = ?)",
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
   * Stores {@code m} undelivered with sequence number {@code seq}; receipts are kept only for a
   * message with a client id that asked for them. A message whose sender stored one with the same
   * client id before is not stored (the unique index {@code messages_client} finds it: no look-up
   * first, since resends are rare).
   *
   * @param bytes {@link #bodyBytes}{@code (m)}
   * @return its id, or -1 when its client id was taken
   */
  static long insert(Tx tx, NewMessage m, long seq, long bytes) throws SQLException {
    PreparedStatement ps =
        tx.prepare(
            "INSERT INTO messages (sender_id, recipient_id, body_text, body_audio, accepted_at,"
                + " delivered, seq, client_id, created_at, receipts, body_bytes)"
                + " VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (sender_id, client_id) WHERE client_id IS NOT NULL DO NOTHING"
                + " RETURNING id");
    ps.setLong(1, m.senderId());
    ps.setLong(2, m.recipientId());
    if (m.text() != null) {
      ps.setString(3, m.text());
    } else {
      ps.setNull(3, Types.VARCHAR);
    }
    if (m.audio() != null) {
      ps.setBytes(4, m.audio());
    } else {
      ps.setNull(4, Types.BINARY);
    }
    ps.setString(5, m.acceptedAt());
    ps.setLong(6, seq);
    if (m.clientId() != 0) {
      ps.setLong(7, m.clientId());
    } else {
      ps.setNull(7, Types.BIGINT);
    }
    ps.setLong(8, m.createdAt());
    ps.setInt(9, m.wantsReceipts() && m.clientId() != 0 ? 1 : 0);
    ps.setLong(10, bytes);
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getLong(1) : -1;
    }
  }

  /**
   * Deletes or strips what was delivered (see {@link
   * imps.server.store.MessageStore#purgeDelivered}).
   *
   * @return rows deleted or stripped
   */
  static int purgeDelivered(Tx tx, Instant bodiesBefore, Instant rowsBefore) throws SQLException {
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
   * messages after {@code afterSeq}, in sequence order, without reading the bodies.
   */
  static List<long[]> undeliveredSizes(Tx tx, long recipientId, long afterSeq, int maxItems)
      throws SQLException {
    return tx.list(
        "SELECT seq, COALESCE(LENGTH(body_text), 0) + COALESCE(LENGTH(body_audio), 0)"
            + " FROM messages WHERE recipient_id = ? AND delivered = 0 AND seq > ?"
            + " ORDER BY seq LIMIT ?",
        ps -> {
          ps.setLong(1, recipientId);
          ps.setLong(2, afterSeq);
          ps.setInt(3, maxItems);
        },
        rs -> new long[] {rs.getLong(1), rs.getLong(2)});
  }

  /** {@code recipientId}'s undelivered messages after {@code afterSeq} up to {@code upToSeq}. */
  static List<StoredMessage> undelivered(Tx tx, long recipientId, long afterSeq, long upToSeq)
      throws SQLException {
    return tx.list(
        SELECT
            + " WHERE m.recipient_id = ? AND m.delivered = 0 AND m.seq > ? AND m.seq <= ?"
            + " ORDER BY m.seq",
        ps -> {
          ps.setLong(1, recipientId);
          ps.setLong(2, afterSeq);
          ps.setLong(3, upToSeq);
        },
        Messages::row);
  }

  static void markDelivered(Tx tx, List<Long> messageIds) throws SQLException {
    PreparedStatement ps = tx.prepare("UPDATE messages SET delivered = 1 WHERE id = ?");
    for (long id : messageIds) {
      ps.setLong(1, id);
      ps.addBatch();
    }
    ps.executeBatch();
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
            "UPDATE messages SET delivered = 1 WHERE recipient_id = ? AND delivered = 0"
                + " AND seq <= ? RETURNING sender_id, client_id, receipts",
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
