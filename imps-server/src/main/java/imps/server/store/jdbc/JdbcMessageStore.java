package imps.server.store.jdbc;

import imps.server.store.MessageStore;
import imps.server.store.StoredMessage;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** {@link MessageStore} in table {@code messages}. */
public final class JdbcMessageStore implements MessageStore {
  private final JdbcDatabase db;

  public JdbcMessageStore(JdbcDatabase db) {
    this.db = db;
  }

  @Override
  public StoredMessage append(
      long senderId,
      String senderName,
      long recipientId,
      String text,
      byte[] audio,
      String acceptedAt) {
    long id = db.write(insert(senderId, recipientId, text, audio, acceptedAt));
    return new StoredMessage(id, senderId, senderName, recipientId, text, audio, acceptedAt);
  }

  @Override
  public CompletableFuture<StoredMessage> appendAsync(
      long senderId,
      String senderName,
      long recipientId,
      String text,
      byte[] audio,
      String acceptedAt) {
    return db.writeAsync(insert(senderId, recipientId, text, audio, acceptedAt))
        .thenApply(
            id ->
                new StoredMessage(id, senderId, senderName, recipientId, text, audio, acceptedAt));
  }

  private static Work<Long> insert(
      long senderId, long recipientId, String text, byte[] audio, String acceptedAt) {
    return tx -> {
      PreparedStatement ps =
          tx.prepare(
              "INSERT INTO messages (sender_id, recipient_id, body_text, body_audio,"
                  + " accepted_at, delivered) VALUES (?, ?, ?, ?, ?, 0) RETURNING id");
      ps.setLong(1, senderId);
      ps.setLong(2, recipientId);
      if (text != null) {
        ps.setString(3, text);
      } else {
        ps.setNull(3, Types.VARCHAR);
      }
      if (audio != null) {
        ps.setBytes(4, audio);
      } else {
        ps.setNull(4, Types.BINARY);
      }
      ps.setString(5, acceptedAt);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    };
  }

  @Override
  public List<StoredMessage> undelivered(
      long recipientId, long afterId, int maxItems, long maxBytes) {
    return db.read(
        tx -> {
          // Sizes first, without the bodies, to find where the page ends; then the bodies of that
          // page only.
          List<long[]> sizes =
              tx.list(
                  "SELECT id, COALESCE(LENGTH(body_text), 0) + COALESCE(LENGTH(body_audio), 0)"
                      + " FROM messages WHERE recipient_id = ? AND delivered = 0 AND id > ?"
                      + " ORDER BY id LIMIT ?",
                  ps -> {
                    ps.setLong(1, recipientId);
                    ps.setLong(2, afterId);
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
              "SELECT m.id, m.sender_id, u.name, m.body_text, m.body_audio, m.accepted_at"
                  + " FROM messages m JOIN users u ON u.id = m.sender_id"
                  + " WHERE m.recipient_id = ? AND m.delivered = 0 AND m.id > ? AND m.id <= ?"
                  + " ORDER BY m.id",
              ps -> {
                ps.setLong(1, recipientId);
                ps.setLong(2, afterId);
                ps.setLong(3, upTo);
              },
              rs ->
                  new StoredMessage(
                      rs.getLong(1),
                      rs.getLong(2),
                      rs.getString(3),
                      recipientId,
                      rs.getString(4),
                      rs.getBytes(5),
                      rs.getString(6)));
        });
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
