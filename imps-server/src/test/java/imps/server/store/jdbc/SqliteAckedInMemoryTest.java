package imps.server.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import imps.server.store.NewMessage;
import imps.server.store.StoredMessage;
import imps.server.store.UserRecord;
import imps.server.store.sqlite.SqliteStore;
import imps.server.store.sqlite.StoresOnOneFile;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQLite's only writer keeps acknowledged numbers in memory ({@link SequenceCounters}) and writes
 * them to {@code users.acked_seq} with the sequence counters, about once a second: an
 * acknowledgement does not rewrite its user's row. What it covers is skipped by every reader at
 * once; a crash loses the number but no message comes again (they are marked delivered in the
 * acknowledgement's own write); only other items acknowledged since the last flush (here a receipt
 * and an outcome) do, which clients drop by number.
 */
class SqliteAckedInMemoryTest {
  @TempDir Path dir;
  @RegisterExtension final StoresOnOneFile stores = new StoresOnOneFile();

  private static NewMessage message(UserRecord from, long to, String text, long clientId) {
    return new NewMessage(
        from.id(), from.name(), to, text, null, "2026-12-01 00:00:00", clientId, 1, true);
  }

  private long storedAcked(long userId) throws Exception {
    return StoresOnOneFile.column(dir, "SELECT acked_seq FROM users WHERE id = ?", userId);
  }

  private static long undeliveredCount(SqliteStore s, long userId) {
    return s.messages().undelivered(userId, 0, 100, Long.MAX_VALUE).size();
  }

  @Test
  void anAcknowledgementIsSkippedByReadersAtOnceAndWrittenAtTheFlush() throws Exception {
    StoresOnOneFile.MovingClock clock = new StoresOnOneFile.MovingClock();
    SqliteStore s = stores.start(dir, clock);
    UserRecord a = StoresOnOneFile.user(s, "ka");
    UserRecord b = StoresOnOneFile.user(s, "kb");
    s.messages().append(message(a, b.id(), "m1", 1));
    StoredMessage m2 = s.messages().append(message(a, b.id(), "m2", 2)).message();
    s.messages().append(message(a, b.id(), "m3", 3));

    // b acknowledges its second message; a gets a receipt (its item 1) and acknowledges it.
    assertThat(s.messages().acknowledge(Map.of(b.id(), m2.seq()))).hasSize(1);
    s.messages().acknowledge(Map.of(a.id(), 1L));

    assertThat(storedAcked(b.id())).as("the row is not rewritten").isZero();
    assertThat(storedAcked(a.id())).isZero();
    assertThat(s.accounts().ackedSeq(b.id())).isEqualTo(2);
    assertThat(s.accounts().ackedSeq(a.id())).isEqualTo(1);
    assertThat(s.messages().undelivered(b.id(), 0, 100, Long.MAX_VALUE))
        .extracting(StoredMessage::text)
        .containsExactly("m3");
    assertThat(s.messages().unacknowledgedReceipts(a.id(), 0)).isEmpty();
    // Acknowledging less, or the same again, moves nothing.
    assertThat(s.messages().acknowledge(Map.of(b.id(), 1L))).isEmpty();
    assertThat(s.accounts().ackedSeq(b.id())).isEqualTo(2);

    // A second later, the next commit writes the numbers out, also when it only acknowledges.
    clock.advance(1_000);
    s.messages().acknowledge(Map.of(b.id(), 3L));
    assertThat(storedAcked(b.id())).isEqualTo(3);
    assertThat(storedAcked(a.id())).isEqualTo(1);
    assertThat(undeliveredCount(s, b.id())).isZero();
  }

  @Test
  void aCleanCloseWritesTheAcknowledgedNumbers() throws Exception {
    SqliteStore s = stores.start(dir);
    UserRecord a = StoresOnOneFile.user(s, "ca");
    UserRecord b = StoresOnOneFile.user(s, "cb");
    StoredMessage m1 = s.messages().append(message(a, b.id(), "m1", 1)).message();
    s.messages().acknowledge(Map.of(b.id(), m1.seq()));
    stores.close(s);
    assertThat(storedAcked(b.id())).isEqualTo(1);
    assertThat(stores.start(dir).accounts().ackedSeq(b.id())).isEqualTo(1);
  }

  @Test
  void aCrashLosesTheNumberButNoAcknowledgedMessageComesAgain() throws Exception {
    SqliteStore crashed = stores.start(dir);
    UserRecord a = StoresOnOneFile.user(crashed, "xa");
    UserRecord b = StoresOnOneFile.user(crashed, "xb");
    crashed.friends().addRequest(a.id(), b.id(), 100);
    crashed.friends().answer(a.id(), b.id(), true, 100); // a's outcome: its item 1
    StoredMessage m1 = crashed.messages().append(message(b, a.id(), "m1", 1)).message();
    assertThat(m1.seq()).isEqualTo(2);
    crashed.messages().acknowledge(Map.of(a.id(), m1.seq()));
    assertThat(crashed.friends().undeliveredOutcomes(a.id(), 0)).isEmpty();
    assertThat(undeliveredCount(crashed, a.id())).isZero();

    SqliteStore restarted = stores.start(dir);
    assertThat(restarted.accounts().ackedSeq(a.id())).as("lost with the process").isZero();
    assertThat(undeliveredCount(restarted, a.id())).as("marked delivered in its write").isZero();
    assertThat(restarted.friends().undeliveredOutcomes(a.id(), 0))
        .as("sent again; the client drops it by number")
        .singleElement()
        .satisfies(o -> assertThat(o.seq()).isEqualTo(1));
  }
}
