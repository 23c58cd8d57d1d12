package imps.server.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The per-recipient sequence numbers ({@link Sequences}) kept in memory by a database's only writer
 * (SQLite), so that storing an item does not also rewrite its recipient's {@code users} row: that
 * {@code UPDATE … RETURNING last_seq} was an eighth of the writer thread's time per message and
 * dirtied a {@code users} page in nearly every commit (docs/BENCHMARKS.md, "Sequence numbers in
 * memory"). Numbers stay what {@link Sequences} promises: gapless per user, in commit order, never
 * given twice, also across a crash.
 *
 * <p>How: a write takes its numbers from this object ({@link #next}); they become the committed
 * counters when its transaction commits ({@link #committed}) and are forgotten when it rolls back
 * ({@link #rolledBack}). Committed counters reach {@code users.last_seq} lazily: about once a
 * second, inside the transaction that is committing then ({@link #beforeCommit}), and always in a
 * transaction that deletes stored items, before it deletes them ({@link #flush}). With them the
 * flush records in {@code seq_flush} the highest message id then stored. After a crash, every
 * number given out since the last flush is in a row that still exists (no item is deleted without a
 * flush first), and the messages among them have ids above that mark: {@link #recover} raises
 * {@code last_seq} to the highest number in those rows before the writer starts.
 *
 * <p>Acknowledged numbers ({@code users.acked_seq}) are kept the same way ({@link #acknowledge}),
 * flushed with the counters: an acknowledgement rewrote its user's wide {@code users} row in every
 * write of acknowledgements (docs/BENCHMARKS.md, "Acknowledged numbers in memory"). Nothing needs
 * them recovered: the messages an acknowledgement covers are marked delivered in its own write, so
 * a crash can only send again the other items (receipts, outcomes, requests) acknowledged since the
 * last flush, which clients drop by number (docs/PROTOCOL.md, decision 47).
 *
 * <p>Threads: everything but {@link #committedLast} and {@link #committedAcked} runs under the
 * writer connection's lock, one transaction at a time; those two are for readers on other threads.
 */
public final class SequenceCounters {
  private static final long FLUSH_EVERY_MILLIS = 1_000;

  private static final String FLUSH_USER =
      "UPDATE users SET last_seq = ? WHERE id = ? AND last_seq < ?";
  private static final String FLUSH_ACKED =
      "UPDATE users SET acked_seq = ? WHERE id = ? AND acked_seq < ?";
  private static final String FLUSH_MARK =
      "UPDATE seq_flush SET messages_id = COALESCE((SELECT MAX(id) FROM messages), 0)";

  /**
   * Raises each user's {@code last_seq} to the highest number among the items stored since the last
   * flush: messages above the mark, and the small tables whole (friend requests, outcomes,
   * receipts; a receipt row takes a new number in place, so its id says nothing).
   */
  private static final String RECOVER =
      "UPDATE users SET last_seq = m.s FROM (SELECT u, MAX(s) AS s FROM ("
          + "SELECT recipient_id AS u, MAX(seq) AS s FROM messages"
          + " WHERE id > (SELECT messages_id FROM seq_flush) GROUP BY recipient_id"
          + " UNION ALL SELECT to_id, MAX(seq) FROM friend_requests GROUP BY to_id"
          + " UNION ALL SELECT user_id, MAX(seq) FROM request_outcomes GROUP BY user_id"
          + " UNION ALL SELECT user_id, MAX(seq) FROM receipts GROUP BY user_id"
          + ") GROUP BY u) AS m WHERE users.id = m.u AND users.last_seq < m.s";

  // Committed but not yet in users.last_seq; read by other threads.
  private final ConcurrentHashMap<Long, Long> unflushed = new ConcurrentHashMap<>();
  // The open transaction's numbers, and what its flush wrote (writer only).
  private final Map<Long, Long> pending = new HashMap<>();
  private final Map<Long, Long> flushed = new HashMap<>();
  // The same for acknowledged numbers.
  private final ConcurrentHashMap<Long, Long> unflushedAcked = new ConcurrentHashMap<>();
  private final Map<Long, Long> pendingAcked = new HashMap<>();
  private final Map<Long, Long> flushedAcked = new HashMap<>();
  private final Clock clock;
  private long lastFlush;

  /**
   * @param clock when a flush is due
   */
  public SequenceCounters(Clock clock) {
    this.clock = clock;
    this.lastFlush = clock.millis();
  }

  /**
   * Brings {@code users.last_seq} up to date after the process ended without its last flush (run
   * before the writer starts; idempotent, cheap after a clean close).
   *
   * @return users whose counter was raised
   */
  public static int recover(Connection c) throws SQLException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      int raised = s.executeUpdate(RECOVER);
      s.executeUpdate(FLUSH_MARK);
      c.commit();
      return raised;
    } catch (SQLException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(auto);
    }
  }

  /** The next number of {@code userId}'s items in this transaction. */
  long next(Tx tx, long userId) throws SQLException {
    long last = current(tx, userId);
    if (last < 0) {
      throw new SQLException("no user " + userId);
    }
    long n = last + 1;
    pending.put(userId, n);
    return n;
  }

  /** Gives back the number {@link #next} just gave in this transaction. */
  void giveBack(Tx tx, long userId) throws SQLException {
    pending.put(userId, current(tx, userId) - 1);
  }

  /** The last number given out to {@code userId}, this transaction's included; -1: no such user. */
  long current(Tx tx, long userId) throws SQLException {
    Long n = pending.get(userId);
    if (n == null) {
      n = unflushed.get(userId);
    }
    return n != null ? n : Sequences.stored(tx, userId);
  }

  /**
   * For a reader on another thread, before it reads {@code users.last_seq}: the committed counter
   * not yet written there, or -1. Asked first, so that a flush that removes the counter here has
   * committed before the reader's snapshot begins.
   */
  public long committedLast(long userId) {
    Long n = unflushed.get(userId);
    return n != null ? n : -1;
  }

  /**
   * {@code userId}'s acknowledged number, this transaction's included; 0 for no acknowledgement (or
   * no such user).
   */
  long acked(Tx tx, long userId) throws SQLException {
    Long n = pendingAcked.get(userId);
    if (n == null) {
      n = unflushedAcked.get(userId);
    }
    return n != null ? n : Sequences.storedAcked(tx, userId);
  }

  /** Records that {@code userId} acknowledged up to {@code upTo}, as of this transaction. */
  void acknowledge(long userId, long upTo) {
    pendingAcked.put(userId, upTo);
  }

  /**
   * For a reader on another thread, before it reads {@code users.acked_seq}: the committed
   * acknowledged number not yet written there, or -1. Asked first, as {@link #committedLast}.
   */
  public long committedAcked(long userId) {
    Long n = unflushedAcked.get(userId);
    return n != null ? n : -1;
  }

  /** Under the writer, before COMMIT: flushes if the last flush is a second old. */
  void beforeCommit(Tx tx) throws SQLException {
    if (clock.millis() - lastFlush >= FLUSH_EVERY_MILLIS
        && (!unflushed.isEmpty()
            || !pending.isEmpty()
            || !unflushedAcked.isEmpty()
            || !pendingAcked.isEmpty())) {
      flush(tx);
    }
  }

  /**
   * Writes every counter given out so far (this transaction's too) to {@code users.last_seq}, every
   * acknowledged number to {@code users.acked_seq}, and the current highest message id to {@code
   * seq_flush}, in {@code tx}: it counts once {@code tx} commits. A write that deletes stored items
   * calls it first.
   */
  void flush(Tx tx) throws SQLException {
    flushed.putAll(write(tx, FLUSH_USER, unflushed, pending));
    flushedAcked.putAll(write(tx, FLUSH_ACKED, unflushedAcked, pendingAcked));
    tx.prepare(FLUSH_MARK).executeUpdate();
    lastFlush = clock.millis();
  }

  /** Runs {@code sql} (value, user, value) for every user of {@code committed} and {@code open}. */
  private static Map<Long, Long> write(
      Tx tx, String sql, Map<Long, Long> committed, Map<Long, Long> open) throws SQLException {
    Map<Long, Long> all = new HashMap<>(committed);
    all.putAll(open);
    if (!all.isEmpty()) {
      PreparedStatement ps = tx.prepare(sql);
      for (Map.Entry<Long, Long> e : all.entrySet()) {
        ps.setLong(1, e.getValue());
        ps.setLong(2, e.getKey());
        ps.setLong(3, e.getValue());
        ps.addBatch();
      }
      ps.executeBatch();
    }
    return all;
  }

  /** The transaction committed: its numbers count, and what it flushed is stored. */
  void committed() {
    committed(unflushed, pending, flushed);
    committed(unflushedAcked, pendingAcked, flushedAcked);
  }

  private static void committed(
      Map<Long, Long> unflushed, Map<Long, Long> pending, Map<Long, Long> flushed) {
    unflushed.putAll(pending);
    pending.clear();
    for (Map.Entry<Long, Long> e : flushed.entrySet()) {
      unflushed.remove(e.getKey(), e.getValue());
    }
    flushed.clear();
  }

  /** The transaction rolled back: its numbers were never given out, nor its acknowledgements. */
  void rolledBack() {
    pending.clear();
    flushed.clear();
    pendingAcked.clear();
    flushedAcked.clear();
  }
}
