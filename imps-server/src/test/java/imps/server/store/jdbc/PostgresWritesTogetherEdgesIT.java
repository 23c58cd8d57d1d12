package imps.server.store.jdbc;

import static imps.server.store.jdbc.WritesTogetherFixture.together;
import static org.assertj.core.api.Assertions.assertThat;

import imps.server.store.Appended;
import imps.server.store.MessageStore.Quota;
import imps.server.store.NewMessage;
import imps.server.store.PostgresTestDatabase;
import imps.server.store.Store;
import imps.server.store.StoredMessage;
import imps.server.store.StoredReceipt;
import imps.server.store.UserRecord;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Edge cases of the writes PostgreSQL runs together ({@link WritesTogether}: appends in one round
 * trip, {@link AcknowledgeStatement}): each must come out as the same writes run one at a time.
 */
class PostgresWritesTogetherEdgesIT {
  @RegisterExtension static final PostgresTestDatabase db = PostgresTestDatabase.perClass();

  private static final String AT = "2024-05-06 07:08:09";
  private static final Quota WIDE = new Quota(100, 1 << 20);

  private Store store;
  private JdbcDatabase jdbc;
  private JdbcMessageStore messages;
  private UserRecord a;
  private UserRecord b;
  private UserRecord c;
  private UserRecord d;

  @BeforeAll
  static void countMeters() {
    WritesTogetherFixture.countMeters();
  }

  @BeforeEach
  void open() {
    store = db.openEmptyStore(Clock.systemUTC());
    a = user("ea");
    b = user("eb");
    c = user("ec");
    d = user("ed");
    jdbc = db.openDatabase(2);
    messages = new JdbcMessageStore(jdbc, false, Dialect.POSTGRESQL);
  }

  @AfterEach
  void close() {
    jdbc.close();
    store.close();
  }

  private UserRecord user(String name) {
    return WritesTogetherFixture.user(store, name);
  }

  private NewMessage message(UserRecord from, long to, String text, long clientId, boolean r) {
    return new NewMessage(from.id(), from.name(), to, text, null, AT, clientId, 1_000, r);
  }

  /** Queues every write of {@code sends} while the writer is busy, so they commit in one batch. */
  private <T> List<CompletableFuture<T>> inOneBatch(
      List<Function<JdbcMessageStore, CompletableFuture<T>>> sends) throws Exception {
    return WritesTogetherFixture.inOneBatch(jdbc, messages, sends);
  }

  private static <T> T done(CompletableFuture<T> f) {
    return f.join();
  }

  @Test
  void twoSendsWithTheSameClientIdInOneRunAreStoredOnceAndAcknowledgedAlike() throws Exception {
    List<CompletableFuture<Appended>> out =
        inOneBatch(
            List.of(
                s -> s.appendAsync(message(a, b.id(), "once", 7, true), WIDE),
                s -> s.appendAsync(message(a, c.id(), "to c", 0, false), WIDE),
                s -> s.appendAsync(message(a, b.id(), "once", 7, true), WIDE)));
    Appended first = done(out.get(0));
    Appended again = done(out.get(2));
    assertThat(first.duplicate()).isFalse();
    assertThat(again.duplicate()).isTrue();
    assertThat(again.message()).usingRecursiveComparison().isEqualTo(first.message());
    assertThat(first.message().seq()).isEqualTo(1);
    assertThat(done(out.get(1)).message().seq()).isEqualTo(1);
    assertThat(store.accounts().lastSeq(b.id())).isEqualTo(1);
    assertThat(messages.appendAsync(message(a, b.id(), "next", 8, false), WIDE).join())
        .satisfies(r -> assertThat(r.message().seq()).isEqualTo(2));
  }

  @Test
  void aResendAtTheQuotaInTheMiddleOfARunIsItsFirstAndLaterSendsAreRefusedOrNumbered()
      throws Exception {
    Quota two = new Quota(2, 1 << 20);
    List<CompletableFuture<Appended>> out =
        inOneBatch(
            List.of(
                s -> s.appendAsync(message(a, b.id(), "1", 1, false), two),
                s -> s.appendAsync(message(a, b.id(), "2", 2, false), two),
                // b is at its quota: a resend is its first again, a new message refused
                s -> s.appendAsync(message(a, b.id(), "2", 2, false), two),
                s -> s.appendAsync(message(a, b.id(), "3", 3, false), two),
                s -> s.appendAsync(message(a, c.id(), "c1", 4, false), two),
                s -> s.appendAsync(message(a, c.id(), "c1", 4, false), two),
                s -> s.appendAsync(message(a, b.id(), "1", 1, false), two)));
    List<Appended> r = out.stream().map(PostgresWritesTogetherEdgesIT::done).toList();
    assertThat(r)
        .extracting(Appended::overQuota)
        .containsExactly(false, false, false, true, false, false, false);
    assertThat(r)
        .extracting(Appended::duplicate)
        .containsExactly(false, false, true, false, false, true, true);
    assertThat(r.get(2).message().id()).isEqualTo(r.get(1).message().id());
    assertThat(r.get(5).message().id()).isEqualTo(r.get(4).message().id());
    assertThat(r.get(6).message().id()).isEqualTo(r.get(0).message().id());
    assertThat(store.accounts().lastSeq(b.id())).isEqualTo(2);
    assertThat(store.accounts().lastSeq(c.id())).isEqualTo(1);
  }

  @Test
  void aSendToAUserWhoDoesNotExistFailsAloneAndTheOthersAreNumberedAsAlone() throws Exception {
    assertThat(store.accounts().delete(d.id())).isTrue();
    List<CompletableFuture<Appended>> out =
        inOneBatch(
            List.of(
                s -> s.appendAsync(message(a, b.id(), "1", 11, true), WIDE),
                s -> s.appendAsync(message(a, d.id(), "gone", 12, true), WIDE),
                s -> s.appendAsync(message(a, b.id(), "2", 0, false), WIDE),
                s -> s.appendAsync(message(a, b.id(), "1", 11, true), WIDE)));
    assertThat(done(out.get(0)).message().seq()).isEqualTo(1);
    assertThat(out.get(1)).isCompletedExceptionally();
    assertThat(done(out.get(2)).message().seq()).isEqualTo(2);
    assertThat(done(out.get(3)).duplicate()).isTrue();
    assertThat(done(out.get(3)).message().seq()).isEqualTo(1);
    assertThat(store.accounts().lastSeq(b.id())).isEqualTo(2);
    assertThat(messages.undelivered(b.id(), 0, 10, Long.MAX_VALUE))
        .extracting(StoredMessage::text)
        .containsExactly("1", "2");
  }

  @Test
  void aFailingWriteAfterAppendsRunTogetherLeavesThemAsIfAlone() throws Exception {
    List<Function<JdbcMessageStore, CompletableFuture<Object>>> sends = new ArrayList<>();
    sends.add(s -> s.appendAsync(message(a, b.id(), "1", 21, false), WIDE).thenApply(x -> x));
    sends.add(s -> s.appendAsync(message(a, b.id(), "2", 22, false), WIDE).thenApply(x -> x));
    sends.add(
        s ->
            jdbc.writeAsync(
                tx -> {
                  throw new SQLException("bad write");
                }));
    sends.add(s -> s.appendAsync(message(a, b.id(), "1", 21, false), WIDE).thenApply(x -> x));
    sends.add(s -> s.appendAsync(message(a, b.id(), "3", 23, false), WIDE).thenApply(x -> x));
    double before = together();
    List<CompletableFuture<Object>> out = inOneBatch(sends);
    assertThat(together() - before)
        .as("writes run together in a batch that was rolled back and run again one by one")
        .isZero();
    assertThat(out.get(2)).isCompletedExceptionally();
    assertThat(List.of(out.get(0), out.get(1), out.get(3), out.get(4)))
        .extracting(f -> ((Appended) f.join()).message().seq())
        .containsExactly(1L, 2L, 1L, 3L);
    assertThat(store.accounts().lastSeq(b.id())).isEqualTo(3);
  }

  @Test
  void aUserDeletedInTheSameBatchFailsTheSendsAfterAndNothingElse() throws Exception {
    List<Function<JdbcMessageStore, CompletableFuture<Object>>> sends = new ArrayList<>();
    sends.add(s -> s.appendAsync(message(a, d.id(), "d1", 31, true), WIDE).thenApply(x -> x));
    sends.add(s -> s.appendAsync(message(a, b.id(), "b1", 32, true), WIDE).thenApply(x -> x));
    sends.add(
        s ->
            jdbc.writeAsync(
                tx -> {
                  PreparedStatement m = tx.prepare("DELETE FROM messages WHERE recipient_id = ?");
                  m.setLong(1, d.id());
                  m.executeUpdate();
                  PreparedStatement u = tx.prepare("DELETE FROM users WHERE id = ?");
                  u.setLong(1, d.id());
                  return u.executeUpdate();
                }));
    sends.add(s -> s.appendAsync(message(a, d.id(), "d2", 33, true), WIDE).thenApply(x -> x));
    sends.add(s -> s.appendAsync(message(a, b.id(), "b2", 34, true), WIDE).thenApply(x -> x));
    sends.add(s -> s.appendAsync(message(a, b.id(), "b1", 32, true), WIDE).thenApply(x -> x));
    List<CompletableFuture<Object>> out = inOneBatch(sends);
    assertThat(((Appended) out.get(0).join()).message().seq()).isEqualTo(1);
    assertThat(((Appended) out.get(1).join()).message().seq()).isEqualTo(1);
    assertThat(out.get(2).join()).isEqualTo(1);
    assertThat(out.get(3)).isCompletedExceptionally();
    assertThat(((Appended) out.get(4).join()).message().seq()).isEqualTo(2);
    assertThat((Appended) out.get(5).join())
        .satisfies(r -> assertThat(r.duplicate()).isTrue())
        .satisfies(r -> assertThat(r.message().seq()).isEqualTo(1));
    assertThat(store.accounts().lastSeq(b.id())).isEqualTo(2);
    assertThat(messages.undelivered(b.id(), 0, 10, Long.MAX_VALUE))
        .extracting(StoredMessage::text)
        .containsExactly("b1", "b2");
  }

  @Test
  void acknowledgementsOfSeveralUsersOneBeyondItsLastNumberAndOneSenderManyReceipts() {
    StoredMessage toB = messages.append(message(a, b.id(), "b", 1, true)).message();
    StoredMessage toC = messages.append(message(a, c.id(), "c", 2, true)).message();
    StoredMessage toD = messages.append(message(a, d.id(), "d", 3, true)).message();
    messages.append(message(d, a.id(), "from d", 4, true));
    long before = store.accounts().lastSeq(a.id());
    Map<Long, Long> acks = new LinkedHashMap<>();
    acks.put(b.id(), 1_000L);
    acks.put(c.id(), toC.seq());
    acks.put(d.id(), toD.seq());
    acks.put(a.id(), 1_000L);
    List<StoredReceipt> receipts = messages.acknowledge(acks);
    // a receives three receipts (numbered after what a had), d one.
    assertThat(receipts)
        .filteredOn(r -> r.userId() == a.id())
        .extracting(StoredReceipt::seq)
        .containsExactlyInAnyOrder(before + 1, before + 2, before + 3);
    assertThat(receipts)
        .filteredOn(r -> r.userId() == d.id())
        .singleElement()
        .satisfies(r -> assertThat(r.upTo()).isEqualTo(4));
    assertThat(store.accounts().lastSeq(a.id())).isEqualTo(before + 3);
    assertThat(store.accounts().ackedSeq(b.id())).isEqualTo(toB.seq());
    // a acknowledged only what it had been given before the write, not its new receipts.
    assertThat(store.accounts().ackedSeq(a.id())).isEqualTo(before);
    assertThat(messages.unacknowledgedReceipts(a.id(), 0)).hasSize(3);
    // Again: nothing moves, nothing is numbered.
    assertThat(messages.acknowledge(acks)).isEmpty();
    assertThat(store.accounts().lastSeq(a.id())).isEqualTo(before + 3);
  }

  @Test
  void sendsWithAndWithoutClientIdsAndReceiptsInOneRunThenOneAcknowledgementGivesOneReceiptEach()
      throws Exception {
    List<CompletableFuture<Appended>> out =
        inOneBatch(
            List.of(
                s -> s.appendAsync(message(a, b.id(), "r5", 5, true), WIDE),
                s -> s.appendAsync(message(a, b.id(), "plain", 0, true), WIDE),
                s -> s.appendAsync(message(a, b.id(), "no receipt", 9, false), WIDE),
                s -> s.appendAsync(message(c, b.id(), "c3", 3, true), WIDE),
                s -> s.appendAsync(message(a, b.id(), "r5", 5, true), WIDE),
                s -> s.appendAsync(message(a, b.id(), "r7", 7, true), WIDE)));
    assertThat(out)
        .extracting(f -> f.join().message().seq())
        .containsExactly(1L, 2L, 3L, 4L, 1L, 5L);
    long aBefore = store.accounts().lastSeq(a.id());
    long cBefore = store.accounts().lastSeq(c.id());
    List<StoredReceipt> receipts = messages.acknowledge(Map.of(b.id(), 5L));
    assertThat(receipts)
        .extracting(StoredReceipt::userId, StoredReceipt::upTo, StoredReceipt::seq)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(a.id(), 7L, aBefore + 1),
            org.assertj.core.groups.Tuple.tuple(c.id(), 3L, cBefore + 1));
    assertThat(messages.undelivered(b.id(), 0, 10, Long.MAX_VALUE)).isEmpty();
  }

  /**
   * A message stored and acknowledged (past the last number) in one transaction: the statement sees
   * what the transaction wrote before it.
   */
  @Test
  void anAcknowledgementAfterAStoreInTheSameTransactionCountsAndMarksIt() {
    NewMessage m = message(a, b.id(), "same tx", 4, true);
    List<StoredReceipt> receipts =
        jdbc.write(
            tx -> {
              Messages.insert(tx, m, Sequences.next(tx, b.id()), Messages.bodyBytes(m));
              return AcknowledgeStatement.record(tx, Map.of(b.id(), 1_000L, c.id(), 1_000L));
            });
    assertThat(receipts).singleElement().satisfies(r -> assertThat(r.upTo()).isEqualTo(4));
    assertThat(store.accounts().ackedSeq(b.id())).isEqualTo(1);
    assertThat(store.accounts().ackedSeq(c.id())).isZero();
    assertThat(messages.undelivered(b.id(), 0, 10, Long.MAX_VALUE)).isEmpty();
  }

  /**
   * An acknowledgement past the last number, while another lane stores a message to the same user
   * and commits: whatever the acknowledgement comes to count, every message up to it is marked
   * delivered and its receipt given, as when its statements run one at a time.
   */
  @Test
  void anAcknowledgementRacingAStoreOnAnotherLaneMarksEverythingItCounts() throws Exception {
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    // b has a message it has not acknowledged yet, so that its row qualifies for the update.
    messages.append(message(a, b.id(), "waiting", 8, true));
    NewMessage m = message(a, b.id(), "racing", 9, true);
    CompletableFuture<Long> stored =
        jdbc.writeAsync(
            tx -> {
              long seq = Sequences.next(tx, b.id());
              Messages.insert(tx, m, seq, Messages.bodyBytes(m));
              holding.countDown();
              try {
                release.await(5, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return seq;
            });
    assertThat(holding.await(5, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<List<StoredReceipt>> acked =
        CompletableFuture.supplyAsync(() -> messages.acknowledge(Map.of(b.id(), 1_000L)));
    waitForALockWait();
    release.countDown();
    assertThat(stored.get(5, TimeUnit.SECONDS)).isEqualTo(2);
    List<StoredReceipt> receipts = acked.get(5, TimeUnit.SECONDS);

    long ackedSeq = store.accounts().ackedSeq(b.id());
    assertThat(markedUpToAcked(b.id()))
        .as("messages up to acked_seq (%d) that are not marked delivered", ackedSeq)
        .isZero();
    if (ackedSeq >= 2) {
      assertThat(receipts).singleElement().satisfies(r -> assertThat(r.upTo()).isEqualTo(9));
    } else {
      assertThat(ackedSeq).isEqualTo(1);
      assertThat(receipts).singleElement().satisfies(r -> assertThat(r.upTo()).isEqualTo(8));
      assertThat(messages.undelivered(b.id(), 0, 10, Long.MAX_VALUE))
          .extracting(StoredMessage::text)
          .containsExactly("racing");
    }
  }

  /** Waits until a session of the test database waits for a row lock. */
  private void waitForALockWait() throws Exception {
    try (Connection conn = DriverManager.getConnection(db.url(), PostgresTestDatabase.USER, "");
        PreparedStatement ps =
            conn.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND wait_event_type = 'Lock'")) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (System.nanoTime() < deadline) {
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          if (rs.getLong(1) > 0) {
            return;
          }
        }
        Thread.sleep(10);
      }
    }
    throw new AssertionError("the acknowledgement never waited for the lock");
  }

  private long markedUpToAcked(long user) throws SQLException {
    try (Connection conn = DriverManager.getConnection(db.url(), PostgresTestDatabase.USER, "");
        PreparedStatement ps =
            conn.prepareStatement(
                "SELECT count(*) FROM messages m JOIN users u ON u.id = m.recipient_id"
                    + " WHERE u.id = ? AND m.delivered = 0 AND m.seq <= u.acked_seq")) {
      ps.setLong(1, user);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
