package imps.server.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import imps.server.store.AddRequestResult;
import imps.server.store.AnswerResult;
import imps.server.store.Appended;
import imps.server.store.NewMessage;
import imps.server.store.StoredMessage;
import imps.server.store.StoredReceipt;
import imps.server.store.UserRecord;
import imps.server.store.sqlite.SqliteStore;
import imps.server.store.sqlite.StoresOnOneFile;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Edges of the SQLite writer's in-memory sequence numbers ({@link SequenceCounters}): batches that
 * flush and then roll back, resends and give-backs among other writes of a batch, numbers held by
 * rows that are replaced (receipts) or deleted (friend requests, accounts), each followed by a
 * simulated crash (a second store opened on the file while the first never wrote its counters). The
 * clock never moves, so only the flushes the rules demand happen.
 */
class SqliteSequenceEdgesTest {
  private static final Clock STOPPED = StoresOnOneFile.STOPPED;

  @TempDir Path dir;
  @RegisterExtension final StoresOnOneFile stores = new StoresOnOneFile();

  private SqliteStore start() {
    return stores.start(dir);
  }

  private static JdbcDatabase db(SqliteStore s) {
    return ((JdbcStore) s).database();
  }

  private static UserRecord user(SqliteStore s, String name) {
    return StoresOnOneFile.user(s, name);
  }

  private static NewMessage message(UserRecord from, long to, String text, long clientId) {
    return new NewMessage(
        from.id(),
        from.name(),
        to,
        text,
        null,
        "2026-12-01 00:00:00",
        clientId,
        STOPPED.millis(),
        clientId != 0);
  }

  private long column(String sql, long userId) throws Exception {
    return StoresOnOneFile.column(dir, sql, userId);
  }

  private long storedLastSeq(long userId) throws Exception {
    return column("SELECT last_seq FROM users WHERE id = ?", userId);
  }

  /** Every sequence number {@code userId}'s stored items hold now, in all four item tables. */
  private List<Long> heldSeqs(long userId) throws Exception {
    List<Long> out = new ArrayList<>();
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("imps.db"));
        var ps =
            c.prepareStatement(
                "SELECT seq FROM messages WHERE recipient_id = ?1"
                    + " UNION ALL SELECT seq FROM friend_requests WHERE to_id = ?1"
                    + " UNION ALL SELECT seq FROM request_outcomes WHERE user_id = ?1"
                    + " UNION ALL SELECT seq FROM receipts WHERE user_id = ?1 ORDER BY 1")) {
      ps.setLong(1, userId);
      try (var rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getLong(1));
        }
      }
    }
    return out;
  }

  private static List<Long> oneTo(long n) {
    List<Long> out = new ArrayList<>();
    for (long i = 1; i <= n; i++) {
      out.add(i);
    }
    return out;
  }

  /**
   * One batch: messages to b, a purge (which flushes the counters, b's pending number included),
   * more messages, a write that takes a number of b and then fails, more messages. The batch rolls
   * back and runs again one write at a time: b's numbers are 1..n exactly once, what was flushed in
   * the rolled-back run is not taken for written, and a crash afterwards loses nothing.
   */
  @Test
  void aBatchThatFlushedAndThenFailedIsNumberedOnceAndSurvivesACrash() throws Exception {
    SqliteStore crashed = start();
    UserRecord a = user(crashed, "fa");
    UserRecord b = user(crashed, "fb");
    JdbcDatabase db = db(crashed);
    // Two delivered messages first, for the purge to delete.
    List<Long> old = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      old.add(crashed.messages().append(message(a, b.id(), "old" + i, 0)).message().id());
    }
    crashed.messages().markDelivered(old);

    CountDownLatch release = BusyWriter.hold(db::writeAsync);
    List<CompletableFuture<Appended>> sends = new ArrayList<>();
    sends.add(crashed.messages().appendAsync(message(a, b.id(), "m1", 0)));
    Instant later = STOPPED.instant().plusSeconds(1);
    CompletableFuture<Integer> purge =
        db.writeAsync(tx -> Messages.purgeDelivered(tx, later, later));
    sends.add(crashed.messages().appendAsync(message(a, b.id(), "m2", 0)));
    CompletableFuture<Object> bad =
        db.writeAsync(
            tx -> {
              Sequences.next(tx, b.id());
              Sequences.beforeDeletingItems(tx);
              throw new SQLException("bad write after taking a number");
            });
    sends.add(crashed.messages().appendAsync(message(a, b.id(), "m3", 0)));
    release.countDown();

    assertThat(purge.get(5, TimeUnit.SECONDS)).isEqualTo(2);
    assertThatThrownBy(() -> bad.get(5, TimeUnit.SECONDS)).hasMessageContaining("bad write");
    List<Long> seqs = new ArrayList<>();
    for (CompletableFuture<Appended> f : sends) {
      seqs.add(f.get(5, TimeUnit.SECONDS).message().seq());
    }
    assertThat(seqs).containsExactly(3L, 4L, 5L);
    assertThat(crashed.accounts().lastSeq(b.id())).isEqualTo(5);
    assertThat(storedLastSeq(b.id())).as("written by the purge, rerun alone").isEqualTo(3);
    assertThat(heldSeqs(b.id())).containsExactly(3L, 4L, 5L);

    SqliteStore restarted = start();
    assertThat(restarted.accounts().lastSeq(b.id())).isEqualTo(5);
    assertThat(restarted.messages().append(message(a, b.id(), "m4", 0)).message().seq())
        .isEqualTo(6);
  }

  /**
   * A resend in a batch among other messages to its recipient and a write that fails: the resend is
   * the earlier message (same id and number), the number it took is given back, and an
   * acknowledgement in the same batch counts no further than what was given out.
   */
  @Test
  void aResendAndAnAcknowledgementInAFailingBatchKeepNumbersAndIds() throws Exception {
    SqliteStore s = start();
    UserRecord a = user(s, "ra");
    UserRecord b = user(s, "rb");
    JdbcDatabase db = db(s);
    StoredMessage first = s.messages().append(message(a, b.id(), "first", 7)).message();
    assertThat(first.seq()).isEqualTo(1);

    CountDownLatch release = BusyWriter.hold(db::writeAsync);
    CompletableFuture<Appended> resend = s.messages().appendAsync(message(a, b.id(), "first", 7));
    CompletableFuture<Object> ack =
        db.writeAsync(tx -> Sequences.advanceAcked(tx, b.id(), 1_000).orElse(-1L));
    CompletableFuture<Appended> other = s.messages().appendAsync(message(a, b.id(), "other", 8));
    CompletableFuture<Appended> resend2 = s.messages().appendAsync(message(a, b.id(), "x", 8));
    CompletableFuture<Object> bad =
        db.writeAsync(
            tx -> {
              Sequences.next(tx, b.id());
              throw new SQLException("bad");
            });
    release.countDown();

    Appended r = resend.get(5, TimeUnit.SECONDS);
    assertThat(r.duplicate()).isTrue();
    assertThat(r.message().id()).isEqualTo(first.id());
    assertThat(r.message().seq()).isEqualTo(1);
    assertThat(ack.get(5, TimeUnit.SECONDS)).as("no further than given out").isEqualTo(1L);
    StoredMessage o = other.get(5, TimeUnit.SECONDS).message();
    assertThat(o.seq()).isEqualTo(2);
    Appended r2 = resend2.get(5, TimeUnit.SECONDS);
    assertThat(r2.duplicate()).isTrue();
    assertThat(r2.message().id()).isEqualTo(o.id());
    assertThat(r2.message().seq()).isEqualTo(2);
    assertThatThrownBy(() -> bad.get(5, TimeUnit.SECONDS)).hasMessageContaining("bad");
    assertThat(s.accounts().lastSeq(b.id())).isEqualTo(2);
    // Kept in memory until the writer's next flush (SqliteAckedInMemoryTest).
    assertThat(s.accounts().ackedSeq(b.id())).isEqualTo(1);
    assertThat(s.messages().append(message(a, b.id(), "next", 0)).message().seq()).isEqualTo(3);
  }

  /**
   * A receipt advanced in place takes a new number among its sender's items; the old number's row
   * is gone. After a crash the sender's next item follows the receipt's new number.
   */
  @Test
  void aReceiptAdvancedInPlaceIsRecoveredAfterACrash() throws Exception {
    SqliteStore crashed = start();
    UserRecord a = user(crashed, "ea");
    UserRecord b = user(crashed, "eb");
    StoredMessage m1 = crashed.messages().append(message(a, b.id(), "m1", 1)).message();
    List<StoredReceipt> r1 = crashed.messages().acknowledge(Map.of(b.id(), m1.seq()));
    assertThat(r1).singleElement().satisfies(r -> assertThat(r.seq()).isEqualTo(1));
    // An item of a's in between, then the receipt again, further.
    assertThat(crashed.messages().append(message(b, a.id(), "back", 0)).message().seq())
        .isEqualTo(2);
    StoredMessage m2 = crashed.messages().append(message(a, b.id(), "m2", 2)).message();
    List<StoredReceipt> r2 = crashed.messages().acknowledge(Map.of(b.id(), m2.seq()));
    assertThat(r2).singleElement().satisfies(r -> assertThat(r.seq()).isEqualTo(3));
    // Read receipt: a new row, a's 4.
    assertThat(crashed.messages().markRead(b.id(), a.id(), m2.seq()))
        .hasValueSatisfying(r -> assertThat(r.seq()).isEqualTo(4));
    assertThat(heldSeqs(a.id())).containsExactly(2L, 3L, 4L);
    assertThat(storedLastSeq(a.id())).isZero();

    SqliteStore restarted = start();
    assertThat(restarted.accounts().lastSeq(a.id())).isEqualTo(4);
    assertThat(restarted.messages().append(message(b, a.id(), "after", 0)).message().seq())
        .isEqualTo(5);
  }

  /**
   * Friend requests and their outcomes take numbers; answering deletes the request (its number must
   * not come back after a crash), a mutual request deletes both.
   */
  @Test
  void friendRequestsAndOutcomesKeepTheirNumbersAcrossDeletesAndACrash() throws Exception {
    SqliteStore crashed = start();
    UserRecord a = user(crashed, "qa");
    UserRecord b = user(crashed, "qb");
    UserRecord c = user(crashed, "qc");
    crashed.messages().append(message(a, b.id(), "hello", 0));
    var req = crashed.friends().addRequest(a.id(), b.id(), 100);
    assertThat(req)
        .isInstanceOfSatisfying(
            AddRequestResult.Pending.class, p -> assertThat(p.seq()).isEqualTo(2));
    // c's request to b, then b's to c: mutual, both deleted, outcome for c.
    assertThat(crashed.friends().addRequest(c.id(), b.id(), 100))
        .isInstanceOfSatisfying(
            AddRequestResult.Pending.class, p -> assertThat(p.seq()).isEqualTo(3));
    crashed.messages().append(message(a, c.id(), "to c", 0));
    assertThat(crashed.friends().addRequest(b.id(), c.id(), 100))
        .isInstanceOfSatisfying(
            AddRequestResult.Mutual.class, m -> assertThat(m.outcomeForOther().seq()).isEqualTo(2));
    // b declines a: the request (b's 2) is deleted, a's outcome is a's 1.
    assertThat(crashed.friends().answer(a.id(), b.id(), false, 100))
        .isInstanceOfSatisfying(
            AnswerResult.Answered.class,
            ans -> assertThat(ans.outcomeForRequester().seq()).isEqualTo(1));
    crashed.messages().append(message(c, b.id(), "after", 0));
    // b's newest item is a request that is then declined: its row is gone, its number stays.
    UserRecord d = user(crashed, "qd");
    assertThat(crashed.friends().addRequest(d.id(), b.id(), 100))
        .isInstanceOfSatisfying(
            AddRequestResult.Pending.class, p -> assertThat(p.seq()).isEqualTo(5));
    assertThat(crashed.friends().answer(d.id(), b.id(), false, 100))
        .isInstanceOf(AnswerResult.Answered.class);
    assertThat(heldSeqs(b.id())).containsExactly(1L, 4L);
    assertThat(crashed.accounts().lastSeq(b.id())).isEqualTo(5);

    SqliteStore restarted = start();
    assertThat(restarted.accounts().lastSeq(a.id())).isEqualTo(1);
    assertThat(restarted.accounts().lastSeq(b.id())).isEqualTo(5);
    assertThat(restarted.accounts().lastSeq(c.id())).isEqualTo(2);
    assertThat(restarted.accounts().lastSeq(d.id())).isEqualTo(1);
    assertThat(restarted.messages().append(message(c, b.id(), "b6", 0)).message().seq())
        .isEqualTo(6);
    assertThat(restarted.messages().append(message(b, a.id(), "a2", 0)).message().seq())
        .isEqualTo(2);
    assertThat(restarted.messages().append(message(b, c.id(), "c3", 0)).message().seq())
        .isEqualTo(3);
  }

  /**
   * A user deleted while others' counters (and their own) are unflushed: the others keep counting
   * across a crash, the deleted user takes no number.
   */
  @Test
  void aDeletedUserWithUnflushedCountersLosesNothingOfTheOthers() throws Exception {
    SqliteStore crashed = start();
    UserRecord a = user(crashed, "xa");
    UserRecord b = user(crashed, "xb");
    UserRecord c = user(crashed, "xc");
    for (int i = 0; i < 3; i++) {
      crashed.messages().append(message(c, b.id(), "cb" + i, 0));
      crashed.messages().append(message(a, b.id(), "b" + i, 0));
      crashed.messages().append(message(a, c.id(), "c" + i, 0));
    }
    assertThat(crashed.accounts().delete(a.id())).isTrue();
    // b's messages from a, its newest among them, are gone with a; their numbers stay given out.
    assertThat(heldSeqs(b.id())).containsExactly(1L, 3L, 5L);
    assertThat(heldSeqs(c.id())).isEmpty();
    assertThatThrownBy(() -> crashed.messages().append(message(c, a.id(), "gone", 0)))
        .hasMessageContaining("no user");

    SqliteStore restarted = start();
    assertThat(restarted.accounts().lastSeq(b.id())).isEqualTo(6);
    assertThat(restarted.accounts().lastSeq(c.id())).isEqualTo(3);
    assertThat(restarted.messages().append(message(c, b.id(), "b7", 0)).message().seq())
        .isEqualTo(7);
    assertThat(restarted.messages().append(message(b, c.id(), "c4", 0)).message().seq())
        .isEqualTo(4);
  }

  /**
   * Messages to one recipient in batches, some of which flush (the clock moves a second now and
   * then) and some of which roll back (a message to no such user among them), while readers on
   * other threads ask for the recipient's last number and then read the backlog: the number never
   * goes back, and every item up to it is there, numbered 1..n without gaps. A crash at the end
   * loses nothing.
   */
  @Test
  void readersNeverSeeALastNumberAheadOfTheItemsWhileBatchesFlushAndRollBack() throws Exception {
    StoresOnOneFile.MovingClock clock = new StoresOnOneFile.MovingClock();
    SqliteStore crashed = stores.start(dir, clock);
    UserRecord a = user(crashed, "ca");
    UserRecord b = user(crashed, "cb");
    java.util.concurrent.atomic.AtomicBoolean done =
        new java.util.concurrent.atomic.AtomicBoolean();
    List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Thread> readers = new ArrayList<>();
    for (int t = 0; t < 3; t++) {
      Thread r =
          new Thread(
              () -> {
                long previous = 0;
                while (!done.get() && problems.isEmpty()) {
                  long last = crashed.accounts().lastSeq(b.id());
                  if (last < previous) {
                    problems.add("last number went back from " + previous + " to " + last);
                  }
                  previous = last;
                  List<StoredMessage> seen =
                      crashed.messages().undelivered(b.id(), 0, 100_000, Long.MAX_VALUE);
                  for (int i = 0; i < seen.size(); i++) {
                    if (seen.get(i).seq() != i + 1) {
                      problems.add("item " + i + " has number " + seen.get(i).seq());
                      break;
                    }
                  }
                  if (seen.size() < last) {
                    problems.add("last number " + last + " but only " + seen.size() + " items");
                  }
                }
              });
      r.start();
      readers.add(r);
    }
    List<CompletableFuture<Appended>> sends = new ArrayList<>();
    int failing = 0;
    try {
      for (int i = 0; i < 600; i++) {
        sends.add(crashed.messages().appendAsync(message(a, b.id(), "m" + i, 0)));
        if (i % 37 == 5) {
          sends.add(crashed.messages().appendAsync(message(a, 987_654_321L, "lost", 0)));
          failing++;
        }
        if (i % 23 == 0) {
          clock.advance(1_000);
        }
        if (i % 100 == 99) {
          for (CompletableFuture<Appended> f : sends) {
            f.handle((x, e) -> null).get(5, TimeUnit.SECONDS);
          }
        }
      }
      for (CompletableFuture<Appended> f : sends) {
        f.handle((x, e) -> null).get(5, TimeUnit.SECONDS);
      }
    } finally {
      done.set(true);
      for (Thread r : readers) {
        r.join(5_000);
      }
    }
    assertThat(problems).isEmpty();
    assertThat(sends.stream().filter(CompletableFuture::isCompletedExceptionally).count())
        .isEqualTo(failing);
    assertThat(heldSeqs(b.id())).isEqualTo(oneTo(600));
    assertThat(storedLastSeq(b.id())).as("flushed now and then").isPositive();

    SqliteStore restarted = start();
    assertThat(restarted.accounts().lastSeq(b.id())).isEqualTo(600);
    assertThat(restarted.messages().append(message(a, b.id(), "after", 0)).message().seq())
        .isEqualTo(601);
  }

  /**
   * The periodic flush runs just before COMMIT, after every write of the batch; here the COMMIT
   * itself then fails (a deferred foreign key), so the flush is rolled back with the batch. The
   * counters it wrote must stay unflushed in memory: the writes run again alone (no flush is due
   * then) and the next number, also after a crash, follows them.
   */
  @Test
  void aFlushRolledBackWithAFailedCommitLeavesTheCountersUnflushed() throws Exception {
    StoresOnOneFile.MovingClock clock = new StoresOnOneFile.MovingClock();
    SqliteStore crashed = stores.start(dir, clock);
    UserRecord a = user(crashed, "ka");
    UserRecord b = user(crashed, "kb");
    JdbcDatabase db = db(crashed);

    // Nothing is unflushed yet, so the held write's own commit does not flush.
    CountDownLatch release = BusyWriter.hold(db::writeAsync);
    clock.advance(1_000);
    CompletableFuture<Appended> m1 = crashed.messages().appendAsync(message(a, b.id(), "m1", 0));
    CompletableFuture<Object> bad =
        db.writeAsync(
            tx -> {
              // Checked only at COMMIT: the batch's writes and its flush have all run by then.
              tx.run("PRAGMA defer_foreign_keys = ON");
              tx.run(
                  "INSERT INTO read_marks (user_id, peer_id, up_to_id)"
                      + " VALUES (987654321, 987654321, 1)");
              return null;
            });
    release.countDown();

    assertThat(m1.get(5, TimeUnit.SECONDS).message().seq()).isEqualTo(1);
    assertThatThrownBy(() -> bad.get(5, TimeUnit.SECONDS)).hasMessageContaining("FOREIGN KEY");
    // m1 alone commits the same counter (1) that the rolled-back flush wrote, and no flush is due
    // then: the counter stays in memory, unflushed.
    assertThat(storedLastSeq(b.id())).isZero();
    assertThat(crashed.accounts().lastSeq(b.id())).isEqualTo(1);
    assertThat(crashed.messages().append(message(a, b.id(), "m2", 0)).message().seq()).isEqualTo(2);
    assertThat(heldSeqs(b.id())).isEqualTo(oneTo(2));

    SqliteStore restarted = start();
    assertThat(restarted.accounts().lastSeq(b.id())).isEqualTo(2);
    assertThat(restarted.messages().append(message(a, b.id(), "m3", 0)).message().seq())
        .isEqualTo(3);
  }
}
