package imps.server.store.jdbc;

import static imps.server.store.jdbc.WritesTogetherFixture.together;
import static org.assertj.core.api.Assertions.assertThat;

import imps.server.store.Appended;
import imps.server.store.MessageStore.Quota;
import imps.server.store.NewMessage;
import imps.server.store.PostgresTestDatabase;
import imps.server.store.Store;
import imps.server.store.UserRecord;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Messages queued next to each other in one group commit on PostgreSQL go to the database in one
 * round trip ({@link AppendStatement#storeAll}) and come out exactly as stored one by one: the
 * quota counts those before them, numbers follow each other without gaps, a resend is its first
 * message again.
 */
class PostgresAppendsTogetherIT {
  @RegisterExtension static final PostgresTestDatabase db = PostgresTestDatabase.perClass();

  private static final String AT = "2024-05-06 07:08:09";

  private Store store;
  private JdbcDatabase jdbc;
  private JdbcMessageStore messages;
  private UserRecord a;
  private UserRecord b;
  private UserRecord c;

  @BeforeAll
  static void countMeters() {
    WritesTogetherFixture.countMeters();
  }

  @BeforeEach
  void open() {
    store = db.openEmptyStore(Clock.systemUTC());
    a = user("ta");
    b = user("tb");
    c = user("tc");
    jdbc = db.openDatabase(1);
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

  private NewMessage message(UserRecord to, String text, long clientId) {
    return new NewMessage(a.id(), a.name(), to.id(), text, null, AT, clientId, 1_000, false);
  }

  /**
   * Queues every append of {@code sends} while the writer is busy, so that they commit in one
   * batch; returns their results in order.
   */
  private List<Appended> inOneBatch(
      List<Function<JdbcMessageStore, CompletableFuture<Appended>>> sends) throws Exception {
    List<Appended> out = new ArrayList<>();
    for (CompletableFuture<Appended> f : WritesTogetherFixture.inOneBatch(jdbc, messages, sends)) {
      out.add(f.join());
    }
    return out;
  }

  @Test
  void theQuotaCountsTheMessagesBeforeInTheSameRoundTripAndNumbersFollowEachOther()
      throws Exception {
    Quota three = new Quota(3, 1 << 20);
    List<Function<JdbcMessageStore, CompletableFuture<Appended>>> sends = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      UserRecord to = i % 5 < 3 ? b : c;
      String text = "m" + i;
      sends.add(s -> s.appendAsync(message(to, text, 0), three));
    }
    double before = together();
    List<Appended> out = inOneBatch(sends);
    assertThat(together() - before).as("all ten in one round trip").isEqualTo(10);
    // b gets 0,1,2,5,6,7 (the last three over its quota of three), c gets 3,4,8,9 (9 over).
    assertThat(out)
        .extracting(Appended::overQuota)
        .containsExactly(false, false, false, false, false, true, true, true, false, true);
    assertThat(out.subList(0, 3)).extracting(r -> r.message().seq()).containsExactly(1L, 2L, 3L);
    assertThat(out.subList(3, 5)).extracting(r -> r.message().seq()).containsExactly(1L, 2L);
    assertThat(out.get(8).message().seq()).isEqualTo(3L);
    assertThat(out.get(8).message().text()).isEqualTo("m8");
    assertThat(store.accounts().lastSeq(b.id())).isEqualTo(3);
    assertThat(store.accounts().lastSeq(c.id())).isEqualTo(3);
    assertThat(messages.undelivered(c.id(), 0, 10, Long.MAX_VALUE))
        .extracting(m -> m.text())
        .containsExactly("m3", "m4", "m8");

    // Without a quota: another statement, the same numbering; a clip among the texts.
    byte[] clip = {1, 2, 3, 4};
    NewMessage voice = new NewMessage(a.id(), a.name(), b.id(), null, clip, AT, 0, 1_000, false);
    List<Appended> more =
        inOneBatch(
            List.of(
                s -> s.appendAsync(message(b, "x", 0), Quota.NONE),
                s -> s.appendAsync(voice, Quota.NONE),
                s -> s.appendAsync(message(b, "y", 0), Quota.NONE)));
    assertThat(more).extracting(r -> r.message().seq()).containsExactly(4L, 5L, 6L);
    assertThat(messages.undelivered(b.id(), 3, 10, Long.MAX_VALUE))
        .extracting(m -> m.text() != null ? m.text() : "clip " + m.audio().length)
        .containsExactly("x", "clip 4", "y");
  }

  @Test
  void aResendAfterItsFirstIsTheFirstAgainAndGivesItsNumberBack() throws Exception {
    Quota wide = new Quota(100, 1 << 20);
    Appended first = messages.appendAsync(message(b, "once", 7), wide).join();
    double before = together();
    List<Appended> out =
        inOneBatch(
            List.of(
                s -> s.appendAsync(message(c, "to c", 1), wide),
                s -> s.appendAsync(message(b, "once", 7), wide)));
    assertThat(together() - before).isEqualTo(2);
    assertThat(out.get(1).duplicate()).isTrue();
    assertThat(out.get(1).message()).usingRecursiveComparison().isEqualTo(first.message());
    assertThat(store.accounts().lastSeq(b.id())).isEqualTo(1);
    assertThat(messages.appendAsync(message(b, "next", 8), wide).join().message().seq())
        .isEqualTo(2);
  }

  @Test
  void aResendBeforeAnotherMessageToItsRecipientIsStoredOneByOne() throws Exception {
    Quota wide = new Quota(100, 1 << 20);
    double before = together();
    List<Appended> out =
        inOneBatch(
            List.of(
                s -> s.appendAsync(message(b, "once", 7), wide),
                s -> s.appendAsync(message(b, "once", 7), wide),
                s -> s.appendAsync(message(b, "after", 8), wide)));
    assertThat(together() - before).as("run again one by one").isZero();
    assertThat(out.get(0).duplicate()).isFalse();
    assertThat(out.get(1).duplicate()).isTrue();
    assertThat(out.get(1).message()).usingRecursiveComparison().isEqualTo(out.get(0).message());
    assertThat(out).extracting(r -> r.message().seq()).containsExactly(1L, 1L, 2L);
    assertThat(store.accounts().lastSeq(b.id())).isEqualTo(2);
  }
}
