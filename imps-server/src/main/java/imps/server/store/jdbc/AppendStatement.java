package imps.server.store.jdbc;

import imps.server.store.MessageStore.Quota;
import imps.server.store.NewMessage;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A message stored in one statement ({@link Dialect#POSTGRESQL}): a data-modifying {@code WITH}
 * that counts what the recipient has waiting ({@link Messages#WAITING}), takes the recipient's next
 * sequence number only while that is within the quota ({@link Sequences#next}'s update), and
 * inserts the row with it ({@link Messages#insert}'s insert). Over the network that is one round
 * trip where the three statements cost three; the rules around it (a resend, giving the number
 * back) stay {@link JdbcMessageStore}'s, whichever way the message was stored.
 *
 * <p>Its parts see one snapshot, as the three statements each see theirs: the count is taken before
 * the update locks the recipient's row, exactly as when the count runs first. The update still
 * waits for that lock and adds one to the latest committed number, so numbers stay gapless and in
 * commit order. A client id already taken makes the insert store nothing after the number was
 * taken: the row then tells so, and the caller gives the number back ({@link Sequences#giveBack}),
 * as it does after the separate insert.
 */
final class AppendStatement {
  private static final String INSERT =
      ", s AS (UPDATE users SET last_seq = last_seq + 1"
          + " WHERE id = ? AND (SELECT within FROM q) RETURNING last_seq),"
          + " i AS (INSERT INTO messages ("
          + Messages.ROW_COLUMNS
          + ", delivered, seq) SELECT "
          + Messages.ROW_PARAMETERS
          + ", 0, s.last_seq FROM s"
          + Messages.CLIENT_ID_TAKEN
          + " RETURNING id)"
          + " SELECT (SELECT within FROM q), (SELECT last_seq FROM s), (SELECT id FROM i)";

  /** With a quota: parameters recipient, recipient, items, bytes left, then the insert's. */
  private static final String WITH_QUOTA =
      "WITH w AS ("
          + Messages.WAITING
          + "), q AS (SELECT w.items < ? AND w.bytes <= ? AS within FROM w)"
          + INSERT;

  /** Without a quota: the count is not taken. */
  private static final String WITHOUT_QUOTA = "WITH q AS (SELECT TRUE AS within)" + INSERT;

  // What attempt() reads when the recipient's row was not found; checked() turns it into an error.
  private static final Attempt NO_USER = new Attempt(-1, -1);

  private AppendStatement() {}

  /**
   * Stores {@code m} if a message of {@code bytes} keeps its recipient within {@code quota} ({@link
   * Quota#NONE}: no count), with the recipient's next sequence number.
   *
   * @param bytes {@link Messages#bodyBytes}{@code (m)}
   */
  static Attempt store(Tx tx, NewMessage m, long bytes, Quota quota) throws SQLException {
    PreparedStatement ps = tx.prepare(sql(quota));
    bind(ps, 1, m, bytes, quota);
    try (ResultSet rs = ps.executeQuery()) {
      rs.next();
      return checked(attempt(rs), m);
    }
  }

  /**
   * Stores {@code ms} as {@link #store} would one after another, in one round trip per {@link
   * Pipelined#MAX} ({@link Pipelined}). Each sees what the ones before it wrote, as in separate
   * statements of one transaction; so the quota counts the messages stored before it in the same
   * call, and one recipient's numbers follow each other.
   *
   * @param withQuota whether every quota in {@code quotas} is a real one (not {@link Quota#NONE}):
   *     all must be alike, so that they share one statement
   * @return what became of each message, in their order
   */
  static List<Attempt> storeAll(
      Tx tx, List<NewMessage> ms, long[] bytes, List<Quota> quotas, boolean withQuota)
      throws SQLException {
    List<List<Attempt>> rows =
        Pipelined.run(
            tx,
            withQuota ? WITH_QUOTA : WITHOUT_QUOTA,
            ms.size(),
            (ps, first, k) -> bind(ps, first, ms.get(k), bytes[k], quotas.get(k)),
            AppendStatement::attempt);
    List<Attempt> out = new ArrayList<>(ms.size());
    for (int k = 0; k < ms.size(); k++) {
      out.add(checked(rows.get(k).get(0), ms.get(k)));
    }
    return out;
  }

  /**
   * What the statement's one row says happened: a row of the statement, read as {@link Attempt}
   * ({@link #NO_USER} where the recipient does not exist, see {@link #checked}).
   */
  private static Attempt attempt(ResultSet rs) throws SQLException {
    if (!rs.getBoolean(1)) {
      return Attempt.OVER_QUOTA;
    }
    long seq = rs.getLong(2);
    if (rs.wasNull()) {
      return NO_USER;
    }
    long id = rs.getLong(3);
    return rs.wasNull() ? Attempt.clientIdTaken(seq) : Attempt.stored(id, seq);
  }

  /** {@code a}, or the error for a recipient who does not exist. */
  private static Attempt checked(Attempt a, NewMessage m) throws SQLException {
    if (a == NO_USER) {
      throw new SQLException("no user " + m.recipientId());
    }
    return a;
  }

  /** The statement for {@code quota}: without the count for {@link Quota#NONE}. */
  static String sql(Quota quota) {
    return quota.equals(Quota.NONE) ? WITHOUT_QUOTA : WITH_QUOTA;
  }

  /**
   * Binds the parameters of {@link #sql}{@code (quota)} from parameter {@code first} on.
   *
   * @return the index of the parameter after them
   */
  static int bind(PreparedStatement ps, int first, NewMessage m, long bytes, Quota quota)
      throws SQLException {
    int i = first;
    long recipient = m.recipientId();
    if (!quota.equals(Quota.NONE)) {
      ps.setLong(i++, recipient);
      ps.setLong(i++, recipient);
      ps.setLong(i++, quota.items());
      // Within when waiting bytes + bytes <= quota bytes; subtracted here, where it cannot
      // overflow.
      ps.setLong(i++, quota.bytes() - bytes);
    }
    ps.setLong(i++, recipient);
    return Messages.bindRow(ps, i, m, bytes);
  }

  /**
   * What became of a message: stored (its id and sequence number), refused over the quota (nothing
   * taken), or not stored because its sender's client id was taken (its number taken, to be given
   * back).
   */
  record Attempt(long id, long seq) {
    static final Attempt OVER_QUOTA = new Attempt(-1, 0);

    static Attempt stored(long id, long seq) {
      return new Attempt(id, seq);
    }

    static Attempt clientIdTaken(long seq) {
      return new Attempt(-1, seq);
    }

    boolean overQuota() {
      return id < 0 && seq == 0;
    }

    boolean clientIdTaken() {
      return id < 0 && seq != 0;
    }
  }
}
