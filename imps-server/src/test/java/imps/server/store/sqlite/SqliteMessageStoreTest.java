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
   * The writer inserts a conversation's entries into the table {@code conversations} (migration
   * V13) in the first commit after its oldest waiting entry is a second old, a few conversations
   * per commit rather than all at once, and keeps {@code conversations_mark} just below the oldest
   * entry still waiting; deleting messages (the retention purge, an account's deletion) deletes
   * their entries in the same transaction, and an entry whose message was deleted while it waited
   * is never inserted, so the table does not keep entries of messages that are gone.
   */
  @Test
  void theWriterInsertsEachConversationASecondLaterAndDeletedMessagesLeaveNoEntries()
      throws Exception {
    MutableClock clock = new MutableClock();
    store.close();
    store = openStore(clock);
    UserRecord a = user("fill-a");
    UserRecord b = user("fill-b");
    UserRecord c = user("fill-c");
    long m1 = append(a, b);
    long m2 = append(b, a);
    assertThat(entries()).isEmpty();
    assertThat(mark()).isEqualTo(m1 - 1);

    clock.advance(Duration.ofSeconds(1));
    long m3 = append(a, c);
    assertThat(entries()).containsExactly(m1, m2);
    assertThat(mark()).isEqualTo(m3 - 1);
    long m4 = append(a, b);
    clock.advance(Duration.ofMillis(999));
    long m5 = append(c, b);
    assertThat(entries()).containsExactly(m1, m2);
    assertThat(mark()).isEqualTo(m3 - 1);
    clock.advance(Duration.ofMillis(1));
    long m6 = append(b, a);
    // a to c and the newer a to b are due; c to b (999 ms) and b to a (now) wait.
    assertThat(entries()).containsExactly(m1, m2, m3, m4);
    assertThat(mark()).isEqualTo(m5 - 1);

    // The retention purge takes the entries of the messages it deletes.
    store.messages().markDelivered(List.of(m1, m2));
    assertThat(
            store
                .messages()
                .purgeDelivered(Instant.ofEpochMilli(2_000), Instant.ofEpochMilli(2_000)))
        .isEqualTo(2);
    assertThat(entries()).containsExactly(m3, m4);

    // So does deleting an account, for what it sent and what it received, and what it sent or
    // received that still waited (m5, m7) is never inserted.
    long m7 = append(c, a);
    assertThat(store.accounts().delete(c.id())).isTrue();
    assertThat(entries()).containsExactly(m4);
    clock.advance(Duration.ofSeconds(1));
    long m8 = append(a, b);
    assertThat(m7).isLessThan(m8);
    assertThat(entries()).containsExactly(m4, m6);
    assertThat(mark()).isEqualTo(m8 - 1);
    assertThat(query("SELECT COUNT(*) FROM messages")).containsExactly(3L);
  }

  /**
   * A burst is spread over commits: one commit inserts the entries of due conversations up to about
   * a thousand, the next ones the rest, and the mark follows.
   */
  @Test
  void oneCommitInsertsAboutAThousandEntriesAndTheNextOnesTheRest() throws Exception {
    MutableClock clock = new MutableClock();
    store.close();
    store = openStore(clock);
    List<UserRecord> users = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      users.add(user("burst-" + i));
    }
    long last = 0;
    for (int i = 0; i < 300; i++) {
      for (int u = 0; u < 5; u++) {
        last = append(users.get(u), users.get(u + 1));
      }
    }
    assertThat(entries()).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    long next = append(users.get(5), users.get(0));
    // Four conversations of 300 reach the budget of 1,024; the fifth waits for the next commit.
    assertThat(entries()).hasSize(1_200);
    assertThat(mark()).isLessThan(last);
    long after = append(users.get(5), users.get(0));
    assertThat(entries()).hasSize(1_500);
    assertThat(mark()).isEqualTo(next - 1);
    assertThat(after).isGreaterThan(next);
  }

  /**
   * A read mark is advanced on the writer, whose time limits the message rate: rather than read the
   * messages above the mark by id (up to a second of everyone's messages) for each C_READ, it
   * inserts that conversation's waiting entries first and finds its unread messages through the
   * primary key.
   */
  @Test
  void advancingAReadMarkInsertsThatConversationFirst() throws Exception {
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
    assertThat(entries()).containsExactly(m1, m2);
    assertThat(store.messages().unread(b.id(), 100).friends()).isEmpty();
    assertThat(store.messages().unread(a.id(), 100).friends()).hasSize(1);
    assertThat(m3).isGreaterThan(m2);
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
