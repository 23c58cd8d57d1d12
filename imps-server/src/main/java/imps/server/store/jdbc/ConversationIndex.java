package imps.server.store.jdbc;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fills the table {@code conversations} (SQLite migration V13), the index of each conversation's
 * messages by {@code (sender_id, recipient_id, id)}, for a database's only writer. An index on
 * {@code messages} wrote a leaf page of its own per stored message with many conversations, in
 * every group commit (docs/BENCHMARKS.md); here each conversation's leaf is written about once a
 * second, and each commit writes only the few conversations that are due then.
 *
 * <p>How: the writer tells this object of every message it stores ({@link #stored}); the entries
 * wait here, by conversation, in the order of their conversation's oldest waiting entry. Before
 * each commit ({@link #beforeCommit}) the conversations whose oldest waiting entry is a second old
 * get their entries inserted (a few leaves per commit, not all of them in one: a single commit that
 * wrote a leaf for every conversation at once stalled the writer for 50–150 ms on this machine's
 * fsync, docs/BENCHMARKS.md), and {@code conversations_mark} moves up to just below the oldest
 * entry still waiting. Readers take the entries up to the mark and the messages above it straight
 * from {@code messages} ({@link Conversations}), in one statement; what is above the mark is about
 * a second of messages. Message ids are never reused (AUTOINCREMENT) and, with the one writer,
 * given out in commit order, so every message at or below the mark has its entry. Entries above the
 * mark may exist too (readers ignore them). Deleting a message deletes its entry (a trigger, V13);
 * an entry whose message was deleted while it waited here is not inserted.
 *
 * <p>Crash safety and rollbacks: what waits here is lost with the process or with a rolled-back
 * transaction, so then the next commit fills by a statement instead ({@link #fill}: every message
 * above the mark, entries already there ignored), as the first commit after opening does. Entries
 * and mark commit together, so there is nothing else to recover.
 *
 * <p>Threads: everything runs under the writer connection's lock, one transaction at a time.
 */
public final class ConversationIndex {
  /** How long an entry waits, at most about, before a commit inserts it. */
  static final long WAIT_MILLIS = 1_000;

  /** The most entries one commit inserts, so that a burst does not make one commit long. */
  static final int MOST_PER_COMMIT = 1_024;

  // Everything above the mark, in key order; entries already there are left as they are.
  static final String FILL =
      "INSERT OR IGNORE INTO conversations (sender_id, recipient_id, id)"
          + " SELECT sender_id, recipient_id, id FROM messages"
          + " WHERE id > (SELECT up_to_id FROM conversations_mark)"
          + " ORDER BY sender_id, recipient_id, id";

  // Never back: if the newest messages were deleted, their ids are not given out again.
  private static final String FILL_MARK =
      "UPDATE conversations_mark"
          + " SET up_to_id = MAX(up_to_id, COALESCE((SELECT MAX(id) FROM messages), 0))";

  static final String INSERT =
      "INSERT OR IGNORE INTO conversations (sender_id, recipient_id, id)"
          + " SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM messages WHERE id = ?)";

  private static final String MARK =
      "UPDATE conversations_mark SET up_to_id = ? WHERE up_to_id < ?";

  private final Clock clock;
  // Committed entries not yet inserted, by conversation, oldest waiting entry first.
  private final LinkedHashMap<Key, Waiting> waiting = new LinkedHashMap<>();
  // The open transaction's messages.
  private final List<long[]> stored = new ArrayList<>();
  // The highest message id told of, and the mark last written.
  private long highest;
  private long written;
  // After opening or a rollback: what waits here is not known, the next commit fills.
  private boolean unknown = true;

  /**
   * @param clock when entries are due
   */
  public ConversationIndex(Clock clock) {
    this.clock = clock;
  }

  /**
   * The open transaction stored message {@code id} from {@code senderId} to {@code recipientId}.
   */
  void stored(long senderId, long recipientId, long id) {
    stored.add(new long[] {senderId, recipientId, id});
  }

  /**
   * Under the writer, before COMMIT: inserts the entries that are due (or fills, if what waits is
   * not known) and moves the mark.
   */
  void beforeCommit(Tx tx) throws SQLException {
    if (unknown) {
      fill(tx);
      return;
    }
    long now = clock.millis();
    for (long[] s : stored) {
      waiting.computeIfAbsent(new Key(s[0], s[1]), k -> new Waiting(now)).add(s[2]);
      highest = Math.max(highest, s[2]);
    }
    stored.clear();
    int budget = MOST_PER_COMMIT;
    PreparedStatement insert = null;
    Iterator<Map.Entry<Key, Waiting>> it = waiting.entrySet().iterator();
    while (it.hasNext() && budget > 0) {
      Map.Entry<Key, Waiting> e = it.next();
      if (now - e.getValue().since < WAIT_MILLIS) {
        break;
      }
      if (insert == null) {
        insert = tx.prepare(INSERT);
      }
      budget -= add(insert, e.getKey(), e.getValue());
      it.remove();
    }
    if (insert != null) {
      insert.executeBatch();
    }
    long mark = waiting.isEmpty() ? highest : waiting.values().iterator().next().ids[0] - 1;
    if (mark > written) {
      PreparedStatement ps = tx.prepare(MARK);
      ps.setLong(1, mark);
      ps.setLong(2, mark);
      ps.executeUpdate();
      written = mark;
    }
  }

  /**
   * Inserts the entries of the conversation from {@code senderId} to {@code recipientId} that are
   * not in the table yet, this transaction's included: afterwards all of its messages are in the
   * table, above the mark or not. For a write that reads one conversation ({@link
   * ReadMarks#advance}) instead of the messages above the mark (about a second of everyone's).
   */
  void insertNow(Tx tx, long senderId, long recipientId) throws SQLException {
    if (unknown) {
      fill(tx);
      return;
    }
    Key key = new Key(senderId, recipientId);
    PreparedStatement insert = tx.prepare(INSERT);
    Waiting w = waiting.remove(key);
    if (w != null) {
      add(insert, key, w);
    }
    for (Iterator<long[]> it = stored.iterator(); it.hasNext(); ) {
      long[] s = it.next();
      if (s[0] == senderId && s[1] == recipientId) {
        bind(insert, key, s[2]);
        highest = Math.max(highest, s[2]);
        it.remove();
      }
    }
    insert.executeBatch();
  }

  /**
   * Inserts every message above the mark (one sorted statement) and moves the mark to the highest
   * message id, in {@code tx}: it counts once {@code tx} commits. After opening, after a rollback
   * and when the store closes.
   */
  void fill(Tx tx) throws SQLException {
    tx.prepare(FILL).executeUpdate();
    tx.prepare(FILL_MARK).executeUpdate();
    waiting.clear();
    stored.clear();
    unknown = false;
    highest = 0;
    written = 0;
  }

  /**
   * The transaction rolled back: its messages were not stored, and entries taken from {@link
   * #waiting} for it were not inserted; the next commit fills.
   */
  void rolledBack() {
    waiting.clear();
    stored.clear();
    unknown = true;
  }

  private static int add(PreparedStatement insert, Key key, Waiting w) throws SQLException {
    for (int i = 0; i < w.size; i++) {
      bind(insert, key, w.ids[i]);
    }
    return w.size;
  }

  private static void bind(PreparedStatement insert, Key key, long id) throws SQLException {
    insert.setLong(1, key.senderId);
    insert.setLong(2, key.recipientId);
    insert.setLong(3, id);
    insert.setLong(4, id);
    insert.addBatch();
  }

  private record Key(long senderId, long recipientId) {}

  /** One conversation's waiting message ids, ascending, since its oldest one was stored. */
  private static final class Waiting {
    final long since;
    long[] ids = new long[4];
    int size;

    Waiting(long since) {
      this.since = since;
    }

    void add(long id) {
      if (size == ids.length) {
        ids = Arrays.copyOf(ids, size * 2);
      }
      ids[size++] = id;
    }
  }
}
