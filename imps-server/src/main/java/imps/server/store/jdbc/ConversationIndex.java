package imps.server.store.jdbc;

import java.sql.SQLException;
import java.time.Clock;

/**
 * Fills the table {@code conversations} (SQLite migration V13), the index of each conversation's
 * messages by {@code (sender_id, recipient_id, id)}, for a database's only writer. An index on
 * {@code messages} wrote a leaf page of its own per stored message with many conversations, in
 * every group commit (docs/BENCHMARKS.md); filled here about once a second with one statement that
 * inserts every message above the mark in key order, each leaf is written once per fill.
 *
 * <p>How: about once a second, inside the transaction that is committing then ({@link
 * #beforeCommit}), the messages above {@code conversations_mark} go into {@code conversations} and
 * the mark moves to the highest message id. Readers take the entries up to the mark and the
 * messages above it straight from {@code messages} ({@link Conversations}), in one statement; what
 * is above the mark is about a second of messages. Message ids are never reused (AUTOINCREMENT)
 * and, with the one writer, given out in commit order, so every message at or below the mark has
 * its entry. Deleting a message deletes its entry (a trigger, V13).
 *
 * <p>Crash safety: the entries and the mark commit together, so after a crash the messages above
 * the mark are filled in by the next fill; there is nothing to recover. A fill in a transaction
 * that rolls back is simply done again by the next one.
 *
 * <p>Threads: everything runs under the writer connection's lock, one transaction at a time.
 */
public final class ConversationIndex {
  private static final long FILL_EVERY_MILLIS = 1_000;

  // One statement, sorted, so that each leaf of the table is written once per fill.
  private static final String FILL =
      "INSERT INTO conversations (sender_id, recipient_id, id)"
          + " SELECT sender_id, recipient_id, id FROM messages"
          + " WHERE id > (SELECT up_to_id FROM conversations_mark)"
          + " ORDER BY sender_id, recipient_id, id";

  // Never back: if the newest messages were deleted, their ids are not given out again.
  private static final String MARK =
      "UPDATE conversations_mark"
          + " SET up_to_id = MAX(up_to_id, COALESCE((SELECT MAX(id) FROM messages), 0))";

  private final Clock clock;
  private long lastFill;
  // When the open transaction filled, or -1.
  private long filledAt = -1;

  /**
   * @param clock when a fill is due
   */
  public ConversationIndex(Clock clock) {
    this.clock = clock;
    this.lastFill = clock.millis();
  }

  /** Under the writer, before COMMIT: fills if the last fill is a second old. */
  void beforeCommit(Tx tx) throws SQLException {
    if (clock.millis() - lastFill >= FILL_EVERY_MILLIS) {
      fill(tx);
    }
  }

  /**
   * Puts every message above the mark into {@code conversations} and moves the mark to the highest
   * message id, in {@code tx}: it counts once {@code tx} commits. Also called by a write that would
   * otherwise read the messages above the mark ({@link ReadMarks#advance}): then a commit fills as
   * the index on {@code messages} did, its leaves written once per commit rather than once a
   * second, and never a range of a second of messages read on the writer.
   */
  void fill(Tx tx) throws SQLException {
    tx.prepare(FILL).executeUpdate();
    tx.prepare(MARK).executeUpdate();
    filledAt = clock.millis();
  }

  /** The transaction committed: its fill, if any, is stored. */
  void committed() {
    if (filledAt >= 0) {
      lastFill = filledAt;
      filledAt = -1;
    }
  }

  /** The transaction rolled back: its fill is undone, so the next commit fills again. */
  void rolledBack() {
    filledAt = -1;
  }
}
