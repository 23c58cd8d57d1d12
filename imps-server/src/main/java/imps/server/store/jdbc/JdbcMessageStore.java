package imps.server.store.jdbc;

import imps.server.store.Appended;
import imps.server.store.MessageStore;
import imps.server.store.NewMessage;
import imps.server.store.StoredMessage;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** {@link MessageStore} in table {@code messages}. */
public final class JdbcMessageStore implements MessageStore {
  private static final String SELECT =
      "SELECT m.id, m.seq, m.sender_id, u.name, m.recipient_id, m.body_text, m.body_audio,"
          + " m.accepted_at, m.client_id FROM messages m JOIN users u ON u.id = m.sender_id";

  private final JdbcDatabase db;

  public JdbcMessageStore(JdbcDatabase db) {
    this.db = db;
  }

  @Override
  public Appended append(NewMessage m) {
    return db.write(insert(m));
  }

  @Override
  public CompletableFuture<Appended> appendAsync(NewMessage m) {
    return db.writeAsync(insert(m));
  }

  private static Work<Appended> insert(NewMessage m) {
    return tx -> {
      if (m.clientId() != 0) {
        Optional<StoredMessage> earlier = byClientId(tx, m.senderId(), m.clientId());
        if (earlier.isPresent()) {
          return new Appended(earlier.get(), true);
        }
      }
      long seq = Sequences.next(tx, m.recipientId());
      PreparedStatement ps =
          tx.prepare(
              "INSERT INTO messages (sender_id, recipient_id, body_text, body_audio, accepted_at,"
                  + " delivered, seq, client_id, created_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?)"
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
      long id;
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        id = rs.getLong(1);
      }
      return new Appended(
          new StoredMessage(
              id,
              seq,
              m.senderId(),
              m.senderName(),
              m.recipientId(),
              m.text(),
              m.audio(),
              m.acceptedAt(),
              m.clientId()),
          false);
    };
  }

  private static Optional<StoredMessage> byClientId(Tx tx, long senderId, long clientId)
      throws SQLException {
    return tx.one(
        SELECT + " WHERE m.sender_id = ? AND m.client_id = ?",
        ps -> {
          ps.setLong(1, senderId);
          ps.setLong(2, clientId);
        },
        JdbcMessageStore::message);
  }

  @Override
  public List<StoredMessage> undelivered(
      long recipientId, long afterSeq, int maxItems, long maxBytes) {
    return db.read(
        tx -> {
          long after = Math.max(afterSeq, ackedSeq(tx, recipientId));
          // Sizes first, without the bodies, to find where the page ends; then the bodies of that
          // page only.
          List<long[]> sizes =
              tx.list(
                  "SELECT seq, COALESCE(LENGTH(body_text), 0) + COALESCE(LENGTH(body_audio), 0)"
                      + " FROM messages WHERE recipient_id = ? AND delivered = 0 AND seq > ?"
                      + " ORDER BY seq LIMIT ?",
                  ps -> {
                    ps.setLong(1, recipientId);
                    ps.setLong(2, after);
                    ps.setInt(3, maxItems);
                  },
                  rs -> new long[] {rs.getLong(1), rs.getLong(2)});
          if (sizes.isEmpty()) {
            return List.of();
          }
          long last = sizes.get(0)[0];
          long bytes = 0;
          for (long[] s : sizes) {
            bytes += s[1];
            if (bytes > maxBytes && s[0] != sizes.get(0)[0]) {
              break;
            }
            last = s[0];
          }
          long upTo = last;
          return tx.list(
              SELECT
                  + " WHERE m.recipient_id = ? AND m.delivered = 0 AND m.seq > ? AND m.seq <= ?"
                  + " ORDER BY m.seq",
              ps -> {
                ps.setLong(1, recipientId);
                ps.setLong(2, after);
                ps.setLong(3, upTo);
              },
              JdbcMessageStore::message);
        });
  }

  private static long ackedSeq(Tx tx, long userId) throws SQLException {
    return tx.one(
            "SELECT acked_seq FROM users WHERE id = ?",
            ps -> ps.setLong(1, userId),
            rs -> rs.getLong(1))
        .orElse(0L);
  }

  private static StoredMessage message(ResultSet rs) throws SQLException {
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

  @Override
  public void markDelivered(List<Long> messageIds) {
    if (messageIds.isEmpty()) {
      return;
    }
    db.write(
        tx -> {
          PreparedStatement ps = tx.prepare("UPDATE messages SET delivered = 1 WHERE id = ?");
          for (long id : messageIds) {
            ps.setLong(1, id);
            ps.addBatch();
          }
          ps.executeBatch();
          return null;
        });
  }
}
