package imps.server.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import imps.server.store.MessageStoreContract;
import imps.server.store.NewMessage;
import imps.server.store.Store;
import imps.server.store.UserRecord;
import imps.testsupport.MutableClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteMessageStoreTest extends MessageStoreContract {
  @TempDir Path dir;

  @Override
  protected Store openStore(Clock clock) {
    return SqliteStore.open(dir, "NORMAL", 512, clock);
  }

  /**
   * The table {@code conversations} (migration V13) is filled by the writer about once a second, in
   * the commit due then, with everything above its mark; deleting messages (the retention purge, an
   * account's deletion) deletes their entries in the same transaction, so the table does not keep
   * entries of messages that are gone.
   */
  @Test
  void theWriterFillsConversationsOnceASecondAndDeletedMessagesLeaveNoEntries() throws Exception {
    MutableClock clock = new MutableClock();
    store.close();
    store = openStore(clock);
    UserRecord a = user("fill-a");
    UserRecord b = user("fill-b");
    UserRecord c = user("fill-c");
    long m1 = append(a, b);
    long m2 = append(b, a);
    assertThat(entries()).isEmpty();
    assertThat(mark()).isZero();

    clock.advance(Duration.ofSeconds(1));
    long m3 = append(a, c);
    assertThat(entries()).containsExactly(m1, m2, m3);
    assertThat(mark()).isEqualTo(m3);
    long m4 = append(a, b);
    clock.advance(Duration.ofMillis(999));
    long m5 = append(c, b);
    assertThat(entries()).containsExactly(m1, m2, m3);
    assertThat(mark()).isEqualTo(m3);
    clock.advance(Duration.ofMillis(1));
    long m6 = append(b, a);
    assertThat(entries()).containsExactly(m1, m2, m3, m4, m5, m6);
    assertThat(mark()).isEqualTo(m6);

    // The retention purge takes the entries of the messages it deletes.
    store.messages().markDelivered(List.of(m1, m2));
    assertThat(
            store
                .messages()
                .purgeDelivered(Instant.ofEpochMilli(2_000), Instant.ofEpochMilli(2_000)))
        .isEqualTo(2);
    assertThat(entries()).containsExactly(m3, m4, m5, m6);

    // So does deleting an account, for what it sent and what it received.
    long m7 = append(c, a);
    assertThat(store.accounts().delete(c.id())).isTrue();
    assertThat(entries()).containsExactly(m4, m6);
    clock.advance(Duration.ofSeconds(1));
    long m8 = append(a, b);
    assertThat(m7).isLessThan(m8);
    assertThat(entries()).containsExactly(m4, m6, m8);
    assertThat(mark()).isEqualTo(m8);
    assertThat(query("SELECT COUNT(*) FROM messages")).containsExactly(3L);
  }

  /**
   * A read mark is advanced on the writer, whose time limits the message rate: rather than read the
   * messages above the mark by id (up to a second of everyone's messages) for each C_READ, it fills
   * the table first, so that it finds the conversation's unread messages through the primary key.
   */
  @Test
  void advancingAReadMarkFillsConversationsFirst() throws Exception {
    MutableClock clock = new MutableClock();
    store.close();
    store = openStore(clock);
    UserRecord a = user("mark-a");
    UserRecord b = user("mark-b");
    store.friends().addRequest(a.id(), b.id(), 100);
    store.friends().answer(a.id(), b.id(), true, 100);
    long m1 = append(a, b);
    long m2 = append(a, b);
    long m3 = append(b, a);
    assertThat(entries()).isEmpty();
    assertThat(store.messages().unread(b.id(), 100).friends()).hasSize(1);
    store.messages().markRead(b.id(), a.id(), Long.MAX_VALUE);
    assertThat(entries()).containsExactly(m1, m2, m3);
    assertThat(store.messages().unread(b.id(), 100).friends()).isEmpty();
  }

  @Test
  void closingTheStoreFillsConversationsUpToTheLastMessage() throws Exception {
    UserRecord a = user("close-a");
    UserRecord b = user("close-b");
    long m1 = append(a, b);
    long m2 = append(b, a);
    store.close();
    store = null;
    assertThat(entries()).containsExactly(m1, m2);
    assertThat(mark()).isEqualTo(m2);
  }

  private long append(UserRecord from, UserRecord to) {
    return store
        .messages()
        .append(new NewMessage(from.id(), from.name(), to.id(), "x", null, "t", 0, 1_000, false))
        .message()
        .id();
  }

  /** The message ids in {@code conversations}, in id order. */
  private List<Long> entries() throws SQLException {
    return query("SELECT id FROM conversations ORDER BY id");
  }

  private long mark() throws SQLException {
    return query("SELECT up_to_id FROM conversations_mark").get(0);
  }

  private List<Long> query(String sql) throws SQLException {
    List<Long> out = new ArrayList<>();
    try (Connection c =
            DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteStore.FILE_NAME));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getLong(1));
      }
    }
    return out;
  }
}
