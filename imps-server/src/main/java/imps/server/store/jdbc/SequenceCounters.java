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
 * <p>Threads: everything but {@link #committedLast} runs under the writer connection's lock, one
 * transaction at a time; {@link #committedLast} is for readers on other threads.
 */
public final class SequenceCounters {
  private static final long FLUSH_EVERY_MILLIS = 1_000;

  private static final String FLUSH_USER =
      "UPDATE users SET last_seq = ? WHERE id = ? AND last_seq < ?";
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

  /** Under the writer, before COMMIT: flushes if the last flush is a second old. */
  void beforeCommit(Tx tx) throws SQLException {
    if (clock.millis() - lastFlush >= FLUSH_EVERY_MILLIS
        && (!unflushed.isEmpty() || !pending.isEmpty())) {
      flush(tx);
    }
  }

  /**
   * Writes every counter given out so far (this transaction's too) to {@code users.last_seq} and
   * the current highest message id to {@code seq_flush}, in {@code tx}: it counts once {@code tx}
   * commits. A write that deletes stored items calls it first.
   */
  void flush(Tx tx) throws SQLException {
    Map<Long, Long> all = new HashMap<>(unflushed);
    all.putAll(pending);
    if (!all.isEmpty()) {
      PreparedStatement ps = tx.prepare(FLUSH_USER);
      for (Map.Entry<Long, Long> e : all.entrySet()) {
        ps.setLong(1, e.getValue());
        ps.setLong(2, e.getKey());
        ps.setLong(3, e.getValue());
        ps.addBatch();
      }
      ps.executeBatch();
    }
    tx.prepare(FLUSH_MARK).executeUpdate();
    flushed.putAll(all);
    lastFlush = clock.millis();
  }

  /** The transaction committed: its numbers count, and what it flushed is stored. */
  void committed() {
    unflushed.putAll(pending);
    pending.clear();
    for (Map.Entry<Long, Long> e : flushed.entrySet()) {
      unflushed.remove(e.getKey(), e.getValue());
    }
    flushed.clear();
  }

  /** The transaction rolled back: its numbers were never given out. */
  void rolledBack() {
    pending.clear();
    flushed.clear();
  }
}
