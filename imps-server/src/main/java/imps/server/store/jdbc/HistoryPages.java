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
 * only, so that a page costs bounded range scans of the indexes {@code messages_created} and {@code
 * messages_conversation}, however long the conversation.
 */
final class HistoryPages {
  private HistoryPages() {}

  /** The page, as {@link imps.server.store.MessageStore#history} says; {@code maxItems} > 0. */
  static HistorySlice page(
      Tx tx,
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
    // Ids and weights first, one bounded range scan of messages_conversation per direction
    // merged by id; then the bodies of the page only.
    long from = newer ? fromId : (fromId <= 0 ? Long.MAX_VALUE : fromId);
    String weight = "COALESCE(LENGTH(body_text), 0) * 3 + COALESCE(LENGTH(body_audio), 0) AS w";
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
            Messages.SELECT + " WHERE m.id IN (" + in + ") ORDER BY m." + order,
            ps -> {
              for (int i = 0; i < ids.size(); i++) {
                ps.setLong(i + 1, ids.get(i));
              }
            },
            Messages::row);
    return new HistorySlice(page, weights.size() > ids.size());
  }
}
