package imps.server.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import imps.server.store.NewMessage;
import imps.server.store.StoredMessage;
import imps.server.store.UserRecord;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQLite writer keeps the per-recipient sequence numbers in memory and writes them to {@code
 * users.last_seq} about once a second ({@code SequenceCounters}). A process that ends without that
 * write (a crash, kill -9) must not give a number twice after it starts again, also when the rows
 * that held the numbers were deleted. The clock here never moves, so no periodic write happens:
 * only the ones the rules demand.
 */
class SqliteSequenceRecoveryTest {
  @TempDir Path dir;
  @RegisterExtension final StoresOnOneFile stores = new StoresOnOneFile();

  private SqliteStore start() {
    return stores.start(dir);
  }

  private static UserRecord user(SqliteStore s, String name) {
    return StoresOnOneFile.user(s, name);
  }

  private static StoredMessage send(SqliteStore s, UserRecord from, long to, String text) {
    return s.messages().append(message(from, to, text)).message();
  }

  private static NewMessage message(UserRecord from, long to, String text) {
    return new NewMessage(
        from.id(), from.name(), to, text, null, "2026-12-01 00:00:00", 0, 1, false);
  }

  private long storedLastSeq(long userId) throws Exception {
    return StoresOnOneFile.storedLastSeq(dir, userId);
  }

  @Test
  void numbersGivenOutButNotWrittenAreRecoveredFromTheRowsAtTheNextStart() throws Exception {
    SqliteStore crashed = start();
    UserRecord a = user(crashed, "ra");
    UserRecord b = user(crashed, "rb");
    for (int i = 1; i <= 5; i++) {
      assertThat(send(crashed, a, b.id(), "m" + i).seq()).isEqualTo(i);
    }
    assertThat(crashed.accounts().lastSeq(b.id())).as("readers see the counter").isEqualTo(5);
    assertThat(storedLastSeq(b.id())).as("not written yet: the crash loses it").isZero();

    // A new process on the same file, the old one never having written its counters.
    SqliteStore restarted = start();
    assertThat(restarted.accounts().lastSeq(b.id())).isEqualTo(5);
    assertThat(send(restarted, a, b.id(), "m6").seq()).isEqualTo(6);
  }

  @Test
  void rowsAreNeverDeletedBeforeTheirNumbersAreWritten() throws Exception {
    SqliteStore crashed = start();
    UserRecord a = user(crashed, "da");
    UserRecord b = user(crashed, "db");
    List<Long> ids = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      ids.add(send(crashed, a, b.id(), "m" + i).id());
    }
    crashed.messages().markDelivered(ids);
    Instant later = StoresOnOneFile.STOPPED.instant().plusSeconds(1);
    assertThat(crashed.messages().purgeDelivered(later, later)).isEqualTo(3);
    assertThat(storedLastSeq(b.id())).as("written with the delete").isEqualTo(3);

    SqliteStore restarted = start();
    assertThat(send(restarted, a, b.id(), "m4").seq()).isEqualTo(4);
  }

  @Test
  void aCleanCloseWritesTheCountersSoTheNextStartHasNothingToRecover() throws Exception {
    SqliteStore first = start();
    UserRecord a = user(first, "ca");
    UserRecord b = user(first, "cb");
    send(first, a, b.id(), "m1");
    send(first, a, b.id(), "m2");
    stores.close(first);
    assertThat(storedLastSeq(b.id())).isEqualTo(2);
    assertThat(send(start(), a, b.id(), "m3").seq()).isEqualTo(3);
  }

  @Test
  void aBatchRolledBackForOneBadWriteTakesNoNumbersFromTheOthers() {
    SqliteStore s = start();
    UserRecord a = user(s, "ba");
    UserRecord b = user(s, "bb");
    List<CompletableFuture<?>> all = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      all.add(s.messages().appendAsync(message(a, b.id(), "m" + i)));
      if (i % 50 == 25) {
        // No such recipient: fails, and fails the batch it is in, whose writes then run alone.
        all.add(s.messages().appendAsync(message(a, 987_654_321L, "lost")));
      }
    }
    all.forEach(f -> f.handle((r, e) -> null).join());
    List<Long> seqs =
        s.messages().undelivered(b.id(), 0, 10_000, Long.MAX_VALUE).stream()
            .map(StoredMessage::seq)
            .toList();
    assertThat(seqs).hasSize(200);
    for (int i = 0; i < seqs.size(); i++) {
      assertThat(seqs.get(i)).isEqualTo(i + 1L);
    }
    assertThat(s.accounts().lastSeq(b.id())).isEqualTo(200);
  }
}
