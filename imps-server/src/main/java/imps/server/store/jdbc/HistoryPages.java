package imps.server.store.jdbc;

import static imps.server.store.MessageStore.HISTORY_ENTRY_OVERHEAD;

import imps.server.store.HistorySlice;
import imps.server.store.StoredMessage;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A page of one conversation's history from the {@code messages} table (see {@link
 * imps.server.store.MessageStore#history}): ids and weights first, then the bodies of the page
 * only, so that a page costs bounded range scans of the index {@code messages_created} and of the
 * conversation's index ({@link Conversations}), however long the conversation.
 */
final class HistoryPages {
  private HistoryPages() {}

  /**
   * The page, as {@link imps.server.store.MessageStore#history} says; {@code maxItems} > 0; the
   * {@code dialect} chooses how the conversation's messages are found ({@link Conversations}).
   */
  static HistorySlice page(
      Tx tx,
      Dialect dialect,
      long userId,
      long peerId,
      long fromId,
      boolean newer,
      int maxItems,
      long maxBytes,
      long sinceMillis)
      throws SQLException {
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
    // Ids and weights first, bounded index ranges per direction (Conversations) merged by id;
    // then the bodies of the page only.
    long from = newer ? fromId : (fromId <= 0 ? Long.MAX_VALUE : fromId);
    String weight =
        "m.id AS id, COALESCE(LENGTH(m.body_text), 0) * 3 + COALESCE(LENGTH(m.body_audio), 0) AS w";
    String id = Conversations.ID;
    String cmp = (newer ? id + " > ?" : id + " < ?") + " AND " + id + " >= ?";
    int limit = maxItems + 1;
    String oneWay = Conversations.select(dialect, weight, cmp, !newer, limit);
    boolean self = userId == peerId;
    String sql =
        self
            ? oneWay
            : "SELECT id, w FROM (SELECT * FROM ("
                + oneWay
                + ") a UNION ALL SELECT * FROM ("
                + oneWay
                + ") b) c ORDER BY id"
                + (newer ? "" : " DESC")
                + LiteralLimit.atLeast(limit);
    List<long[]> weights =
        tx.list(
            sql,
            ps -> {
              int i = Conversations.bind(dialect, ps, 1, userId, peerId, from, floor);
              if (!self) {
                Conversations.bind(dialect, ps, i, peerId, userId, from, floor);
              }
            },
            rs -> new long[] {rs.getLong(1), rs.getLong(2)},
            limit);
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
            Messages.SELECT + " WHERE m.id IN (" + in + ") ORDER BY m.id" + (newer ? "" : " DESC"),
            ps -> {
              for (int i = 0; i < ids.size(); i++) {
                ps.setLong(i + 1, ids.get(i));
              }
            },
            Messages::row);
    return new HistorySlice(page, weights.size() > ids.size());
  }
}
