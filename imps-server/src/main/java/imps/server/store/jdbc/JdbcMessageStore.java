package imps.server.store.jdbc;

import imps.server.store.Appended;
import imps.server.store.HistorySlice;
import imps.server.store.MessageStore;
import imps.server.store.NewMessage;
import imps.server.store.StoredMessage;
import imps.server.store.StoredReceipt;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

  @Override
  public CompletableFuture<Appended> appendAsync(NewMessage m, Quota quota) {
    return db.writeAsync(insert(m, quota));
  }

  private static Work<Appended> insert(NewMessage m) {
    return insert(m, Quota.NONE);
  }

  private static Work<Appended> insert(NewMessage m, Quota quota) {
    return tx -> {
      if (m.clientId() != 0) {
        Optional<StoredMessage> earlier = byClientId(tx, m.senderId(), m.clientId());
        if (earlier.isPresent()) {
          return new Appended(earlier.get(), true);
        }
      }
      if (!quota.equals(Quota.NONE) && overQuota(tx, m, quota)) {
        return Appended.refusedOverQuota();
      }
      long seq = Sequences.next(tx, m.recipientId());
      PreparedStatement ps =
          tx.prepare(
              "INSERT INTO messages (sender_id, recipient_id, body_text, body_audio, accepted_at,"
                  + " delivered, seq, client_id, created_at, receipts)"
                  + " VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?) RETURNING id");
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

  /**
   * Whether {@code m} would take its recipient's undelivered messages past {@code quota}. Sizes are
   * what is stored, in bytes: the UTF-8 of a text (OCTET_LENGTH, on SQLite 3.43 and later as on
   * PostgreSQL, counts the bytes of the database's encoding, UTF-8 on both), the bytes of a clip.
   */
  private static boolean overQuota(Tx tx, NewMessage m, Quota quota) throws SQLException {
    long[] held =
        tx.one(
                "SELECT COUNT(*), COALESCE(SUM(COALESCE(OCTET_LENGTH(body_text), 0)"
                    + " + COALESCE(OCTET_LENGTH(body_audio), 0)), 0) FROM messages"
                    + " WHERE recipient_id = ? AND delivered = 0"
                    + " AND seq > (SELECT acked_seq FROM users WHERE id = ?)",
                ps -> {
                  ps.setLong(1, m.recipientId());
                  ps.setLong(2, m.recipientId());
                },
                rs -> new long[] {rs.getLong(1), rs.getLong(2)})
            .orElse(new long[2]);
    long size =
        m.text() != null ? m.text().getBytes(StandardCharsets.UTF_8).length : m.audio().length;
    return held[0] >= quota.items() || held[1] + size > quota.bytes();
  }

  @Override
  public int purgeDelivered(Instant bodiesBefore, Instant rowsBefore) {
    return db.write(
        tx -> {
          String withBodies =
              " WHERE delivered = 1 AND (body_text IS NOT NULL OR body_audio IS NOT NULL)"
                  + " AND created_at < ?";
          PreparedStatement plain =
              tx.prepare(
                  "DELETE FROM messages" + withBodies + " AND client_id IS NULL AND receipts = 0");
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
        });
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

  @Override
  public List<StoredReceipt> acknowledge(Map<Long, Long> seqsByUser) {
    if (seqsByUser.isEmpty()) {
      return List.of();
    }
    return db.write(
        tx -> {
          List<StoredReceipt> out = new ArrayList<>();
          for (Map.Entry<Long, Long> e : seqsByUser.entrySet()) {
            long user = e.getKey();
            Optional<long[]> seqs =
                tx.one(
                    "SELECT acked_seq, last_seq FROM users WHERE id = ?",
                    ps -> ps.setLong(1, user),
                    rs -> new long[] {rs.getLong(1), rs.getLong(2)});
            if (seqs.isEmpty()) {
              continue;
            }
            long before = seqs.get()[0];
            // Never past what was given out: an acknowledgement of the future counts for nothing.
            long upTo = Math.min(e.getValue(), seqs.get()[1]);
            if (upTo <= before) {
              continue;
            }
            PreparedStatement ps = tx.prepare("UPDATE users SET acked_seq = ? WHERE id = ?");
            ps.setLong(1, upTo);
            ps.setLong(2, user);
            ps.executeUpdate();
            // Acknowledged messages are delivered: flagged like those written to legacy clients,
            // so that one purge finds both.
            PreparedStatement delivered =
                tx.prepare(
                    "UPDATE messages SET delivered = 1 WHERE recipient_id = ? AND delivered = 0"
                        + " AND seq > ? AND seq <= ?");
            delivered.setLong(1, user);
            delivered.setLong(2, before);
            delivered.setLong(3, upTo);
            delivered.executeUpdate();
            // Senders who asked for receipts, of the messages acknowledged just now.
            List<long[]> senders =
                tx.list(
                    "SELECT sender_id, MAX(client_id) FROM messages WHERE recipient_id = ?"
                        + " AND seq > ? AND seq <= ? AND receipts = 1 GROUP BY sender_id",
                    q -> {
                      q.setLong(1, user);
                      q.setLong(2, before);
                      q.setLong(3, upTo);
                    },
                    rs -> new long[] {rs.getLong(1), rs.getLong(2)});
            for (long[] s : senders) {
              receipt(tx, s[0], user, false, s[1]).ifPresent(out::add);
            }
          }
          return out;
        });
  }

  @Override
  public Optional<StoredReceipt> markRead(long readerId, long peerId, long upToSeq) {
    return db.write(
        tx -> {
          long upTo =
              tx.one(
                      "SELECT COALESCE(MAX(client_id), 0) FROM messages WHERE recipient_id = ?"
                          + " AND sender_id = ? AND seq <= ? AND receipts = 1",
                      ps -> {
                        ps.setLong(1, readerId);
                        ps.setLong(2, peerId);
                        ps.setLong(3, upToSeq);
                      },
                      rs -> rs.getLong(1))
                  .orElse(0L);
          return upTo != 0 ? receipt(tx, peerId, readerId, true, upTo) : Optional.empty();
        });
  }

  /**
   * Stores (or advances) the receipt of {@code userId}'s messages to {@code peerId}; empty when it
   * would not advance. A receipt that advances gets a new sequence number: it is a new item.
   */
  private static Optional<StoredReceipt> receipt(
      Tx tx, long userId, long peerId, boolean read, long upTo) throws SQLException {
    int state = read ? 3 : 2;
    Optional<Long> earlier =
        tx.one(
            "SELECT up_to FROM receipts WHERE user_id = ? AND peer_id = ? AND state = ?",
            ps -> {
              ps.setLong(1, userId);
              ps.setLong(2, peerId);
              ps.setInt(3, state);
            },
            rs -> rs.getLong(1));
    if (earlier.isPresent() && earlier.get() >= upTo) {
      return Optional.empty();
    }
    long seq = Sequences.next(tx, userId);
    PreparedStatement ps =
        tx.prepare(
            earlier.isPresent()
                ? "UPDATE receipts SET up_to = ?, seq = ? WHERE user_id = ? AND peer_id = ?"
                    + " AND state = ? RETURNING id"
                : "INSERT INTO receipts (up_to, seq, user_id, peer_id, state)"
                    + " VALUES (?, ?, ?, ?, ?) RETURNING id");
    ps.setLong(1, upTo);
    ps.setLong(2, seq);
    ps.setLong(3, userId);
    ps.setLong(4, peerId);
    ps.setInt(5, state);
    long id;
    try (ResultSet rs = ps.executeQuery()) {
      rs.next();
      id = rs.getLong(1);
    }
    String peerName =
        tx.one(
                "SELECT name FROM users WHERE id = ?",
                q -> q.setLong(1, peerId),
                rs -> rs.getString(1))
            .orElse("");
    return Optional.of(new StoredReceipt(id, seq, userId, peerId, peerName, read, upTo));
  }

  @Override
  public List<StoredReceipt> unacknowledgedReceipts(long userId, long afterSeq) {
    return db.read(
        tx ->
            tx.list(
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
                        rs.getInt(6) == 3,
                        rs.getLong(7))));
  }

  @Override
  public HistorySlice history(
      long userId,
      long peerId,
      long fromId,
      boolean newer,
      int maxItems,
      long maxBytes,
      long sinceMillis) {
    if (maxItems <= 0) {
      return new HistorySlice(List.of(), false);
    }
    return db.read(
        tx -> {
          // The retention as an id: the first message accepted since then (index
          // messages_created), so that the page stays two bounded range scans.
          Optional<Long> first =
              tx.one(
                  "SELECT id FROM messages WHERE created_at >= ? ORDER BY created_at, id LIMIT 1",
                  ps -> ps.setLong(1, sinceMillis),
                  rs -> rs.getLong(1));
          if (first.isEmpty()) {
            return new HistorySlice(List.of(), false);
          }
          long floor = first.get();
          // Ids and weights first, one bounded range scan of messages_conversation per direction
          // merged by id; then the bodies of the page only.
          long from = newer ? fromId : (fromId <= 0 ? Long.MAX_VALUE : fromId);
          String weight =
              "COALESCE(LENGTH(body_text), 0) * 3 + COALESCE(LENGTH(body_audio), 0) AS w";
          String cmp = (newer ? "id > ?" : "id < ?") + " AND id >= ?";
          String order = newer ? "id" : "id DESC";
          String oneWay =
              "SELECT * FROM (SELECT id, "
                  + weight
                  + " FROM messages WHERE sender_id = ? AND recipient_id = ? AND "
                  + cmp
                  + " ORDER BY "
                  + order
                  + " LIMIT ?) ";
          boolean self = userId == peerId;
          String sql =
              self
                  ? oneWay + "a"
                  : "SELECT id, w FROM ("
                      + oneWay
                      + "a UNION ALL "
                      + oneWay
                      + "b) c ORDER BY "
                      + order
                      + " LIMIT ?";
          int limit = maxItems + 1;
          List<long[]> weights =
              tx.list(
                  sql,
                  ps -> {
                    int i = 1;
                    ps.setLong(i++, userId);
                    ps.setLong(i++, peerId);
                    ps.setLong(i++, from);
                    ps.setLong(i++, floor);
                    ps.setInt(i++, limit);
                    if (!self) {
                      ps.setLong(i++, peerId);
                      ps.setLong(i++, userId);
                      ps.setLong(i++, from);
                      ps.setLong(i++, floor);
                      ps.setInt(i++, limit);
                      ps.setInt(i, limit);
                    }
                  },
                  rs -> new long[] {rs.getLong(1), rs.getLong(2)});
          List<Long> ids = new ArrayList<>();
          long bytes = 0;
          for (long[] w : weights) {
            bytes += w[1] + HISTORY_ENTRY_OVERHEAD;
            if (ids.size() == maxItems || (bytes > maxBytes && !ids.isEmpty())) {
              break;
            }
            ids.add(w[0]);
          }
          if (ids.isEmpty()) {
            return new HistorySlice(List.of(), false);
          }
          String in = "?" + ", ?".repeat(ids.size() - 1);
          List<StoredMessage> page =
              tx.list(
                  SELECT + " WHERE m.id IN (" + in + ") ORDER BY m." + order,
                  ps -> {
                    for (int i = 0; i < ids.size(); i++) {
                      ps.setLong(i + 1, ids.get(i));
                    }
                  },
                  JdbcMessageStore::message);
          return new HistorySlice(page, weights.size() > ids.size());
        });
  }
}
