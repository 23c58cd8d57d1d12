package imps.server.store.jdbc;

import imps.server.store.StoredReceipt;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Acknowledgements recorded in few round trips ({@link Dialect#POSTGRESQL}), with the rules of
 * {@link JdbcMessageStore#acknowledge}: where one statement at a time costs a round trip per user
 * for {@code acked_seq}, one for the delivery marks and two per receipt, here one statement per
 * user does both ({@link #ADVANCE}) and one per receipt takes its number and stores it ({@link
 * #RECEIPT}), all {@link Pipelined}: about two round trips for a write of 32 users.
 *
 * <p>Every user's acknowledgement is recorded before the receipts it makes due are stored, where
 * one statement at a time does a user's receipts before the next user's acknowledgement. Both
 * orders record the same: an acknowledgement counts only up to what was given out before the write,
 * and a client cannot have acknowledged a receipt the write is still storing.
 */
final class AcknowledgeStatement {
  /** {@link Sequences#CAPPED_ACK} with {@code last_seq} as the statement's snapshot has it. */
  private static final String CAPPED_IN_SNAPSHOT =
      Sequences.CAPPED_ACK.replace("last_seq", "(SELECT last_seq FROM v)");

  /**
   * Moves a user's {@code acked_seq} up to the number acknowledged, never past {@code last_seq} nor
   * back ({@link Sequences#advanceAcked}), and marks the user's messages up to it delivered ({@link
   * Messages#markDeliveredUpTo}). Parameters: the user, the number twice, the user, the number
   * twice, the user. Rows: none when it did not move; else one per message marked that asked for a
   * receipt (new number, name, sender, client id), or one with no sender when none did.
   *
   * <p>{@code last_seq} is read as the statement's snapshot has it ({@code v}), not from the row
   * the update locks: when another transaction stored an item for the user and committed while this
   * one waited for the row, the row's new {@code last_seq} counts that item, but the marking
   * ({@code d}) runs on the snapshot and would not see it, leaving it undelivered below {@code
   * acked_seq} and its receipt never given.
   */
  private static final String ADVANCE =
      "WITH v AS (SELECT last_seq FROM users WHERE id = ?),"
          + " a AS (UPDATE users SET acked_seq = "
          + CAPPED_IN_SNAPSHOT
          + " WHERE id = ? AND acked_seq < "
          + CAPPED_IN_SNAPSHOT
          + " RETURNING acked_seq, name),"
          + " d AS ("
          + Messages.MARK_DELIVERED_UP_TO
          + "(SELECT acked_seq FROM a)"
          + Messages.MARKED_FOR_RECEIPTS
          + ")"
          + " SELECT a.acked_seq, a.name, d.sender_id, d.client_id FROM a"
          + " LEFT JOIN d ON d.receipts = 1";

  /**
   * {@link Receipts#advance} in one statement: the user's next number, then the receipt stored or
   * advanced only if it moves forward. Parameters: the user, up-to, the user, the peer, the state.
   * Row: the number taken, and the receipt's id or null when it did not move (the number must then
   * be given back).
   */
  private static final String RECEIPT =
      "WITH s AS ("
          + Sequences.NEXT
          + "),"
          + " r AS (INSERT INTO receipts (up_to, seq, user_id, peer_id, state)"
          + " SELECT ?, s.last_seq, ?, ?, ? FROM s"
          + Receipts.ADVANCE_IF_FORWARD
          + ")"
          + " SELECT (SELECT last_seq FROM s), (SELECT id FROM r)";

  /**
   * A row of {@link #ADVANCE}: the acknowledging user's name and a message marked delivered that
   * asked for a receipt (its sender and client id), or sender 0 when none did.
   */
  private record Marked(String name, long sender, long clientId) {}

  /** A receipt due: to {@code sender}, that {@code peer} received its messages up to client id. */
  private record Due(long sender, long peer, String peerName, long upTo) {}

  /**
   * A row of {@link #RECEIPT}: the number taken, and the receipt's id or 0 when it did not move.
   */
  private record Taken(long seq, long id) {}

  private AcknowledgeStatement() {}

  /** Records {@code seqsByUser} and returns the delivery receipts stored, as the store's does. */
  static List<StoredReceipt> record(Tx tx, Map<Long, Long> seqsByUser) throws SQLException {
    List<Long> users = new ArrayList<>(seqsByUser.keySet());
    List<List<Marked>> rows =
        Pipelined.run(
            tx,
            ADVANCE,
            users.size(),
            (ps, first, k) -> {
              long user = users.get(k);
              long seq = seqsByUser.get(user);
              int i = first;
              ps.setLong(i++, user);
              ps.setLong(i++, seq);
              ps.setLong(i++, seq);
              ps.setLong(i++, user);
              ps.setLong(i++, seq);
              ps.setLong(i++, seq);
              ps.setLong(i++, user);
              return i;
            },
            rs -> {
              String name = rs.getString(2);
              long sender = rs.getLong(3);
              return rs.wasNull()
                  ? new Marked(name, 0, 0)
                  : new Marked(name, sender, rs.getLong(4));
            });
    List<Due> due = new ArrayList<>();
    for (int k = 0; k < users.size(); k++) {
      // Per sender, the highest client id among the messages marked, as markDeliveredUpTo gives.
      Map<Long, Long> bySender = new LinkedHashMap<>();
      String name = null;
      for (Marked r : rows.get(k)) {
        name = r.name();
        if (r.sender() != 0) {
          bySender.merge(r.sender(), r.clientId(), Math::max);
        }
      }
      for (Map.Entry<Long, Long> s : bySender.entrySet()) {
        due.add(new Due(s.getKey(), users.get(k), name, s.getValue()));
      }
    }
    return receipts(tx, due);
  }

  /**
   * Stores the receipts {@code due}, in rounds in which no user gets two: a receipt that does not
   * move gives its number back ({@link Sequences#giveBack}, one off the user's last number), which
   * is right only while no later number of that user was taken, so each round's numbers are given
   * back before the next round takes more.
   */
  private static List<StoredReceipt> receipts(Tx tx, List<Due> due) throws SQLException {
    List<StoredReceipt> out = new ArrayList<>();
    List<Due> left = due;
    while (!left.isEmpty()) {
      List<Due> round = new ArrayList<>();
      List<Due> later = new ArrayList<>();
      Set<Long> inRound = new HashSet<>();
      for (Due d : left) {
        (inRound.add(d.sender()) ? round : later).add(d);
      }
      List<List<Taken>> rows =
          Pipelined.run(
              tx,
              RECEIPT,
              round.size(),
              (ps, first, k) -> {
                Due d = round.get(k);
                int i = first;
                ps.setLong(i++, d.sender());
                ps.setLong(i++, d.upTo());
                ps.setLong(i++, d.sender());
                ps.setLong(i++, d.peer());
                ps.setInt(i++, Receipts.DELIVERED);
                return i;
              },
              rs -> {
                long seq = rs.getLong(1);
                if (rs.wasNull()) {
                  throw new SQLException("no user for a receipt");
                }
                long id = rs.getLong(2);
                return new Taken(seq, rs.wasNull() ? 0 : id);
              });
      for (int k = 0; k < round.size(); k++) {
        Due d = round.get(k);
        Taken t = rows.get(k).get(0);
        if (t.id() == 0) {
          Sequences.giveBack(tx, d.sender());
        } else {
          out.add(
              new StoredReceipt(
                  t.id(), t.seq(), d.sender(), d.peer(), d.peerName(), false, d.upTo()));
        }
      }
      left = later;
    }
    return out;
  }
}
