package imps.server.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.Gender;
import imps.server.store.MessageStore;
import imps.server.store.NewMessage;
import imps.server.store.NewUser;
import imps.server.store.jdbc.CommitBatching;
import imps.server.store.jdbc.ConnectionFactory;
import imps.server.store.jdbc.ConversationIndex;
import imps.server.store.jdbc.FixedReaders;
import imps.server.store.jdbc.GroupCommitWriter;
import imps.server.store.jdbc.JdbcAccountStore;
import imps.server.store.jdbc.JdbcDatabase;
import imps.server.store.jdbc.JdbcMessageStore;
import imps.server.store.jdbc.Maintenance;
import imps.server.store.jdbc.SequenceCounters;
import imps.server.store.jdbc.WriterOptions;
import imps.testsupport.MutableClock;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every statement the message path runs on {@code messages} finds its rows through an index: a full
 * scan would grow with the table (messages are kept for {@code history.retention}). Guards the
 * indexes against a change that saves their write cost at the price of a scan (the unique index on
 * {@code (recipient_id, seq)} was dropped for the cost of writing it, docs/BENCHMARKS.md; the
 * partial index {@code messages_receipts} serves the receipt look-ups it served; the index on
 * conversations became the table {@code conversations}, filled in batches, migration V13). The
 * statements are recorded as the store prepares them, so the test follows the code.
 */
class MessageQueryPlanTest {
  @TempDir Path dir;

  @Test
  void theMessagePathNeverScansTheMessagesTable() throws Exception {
    SqliteStore.open(dir, "NORMAL", 64, Clock.systemUTC()).close(); // migrates the schema
    String url = "jdbc:sqlite:" + dir.resolve("imps.db");
    Set<String> prepared = ConcurrentHashMap.newKeySet();
    ConnectionFactory recording = () -> recording(DriverManager.getConnection(url), prepared);
    MutableClock clock = new MutableClock();
    SequenceCounters counters = new SequenceCounters(clock);
    ConversationIndex conversations = new ConversationIndex(clock);
    try (JdbcDatabase db =
        new JdbcDatabase(
            new GroupCommitWriter(
                WriterOptions.builder("plans", recording)
                    .batching(CommitBatching.upTo(64))
                    .maintenance(Maintenance.NONE)
                    .onlyWriter(counters, conversations)
                    .build()),
            FixedReaders.open("plans", recording, 1),
            counters,
            conversations)) {
      JdbcAccountStore accounts = new JdbcAccountStore(db, Clock.systemUTC());
      long alice = user(accounts, "alice");
      long bob = user(accounts, "bob");
      MessageStore messages = new JdbcMessageStore(db);
      long now = System.currentTimeMillis();
      var quota = new MessageStore.Quota(100, 1 << 20);
      messages
          .appendAsync(new NewMessage(alice, "alice", bob, "hi", null, "t", 0, now, false), quota)
          .get();
      // The next write fills the conversation index: the messages after it are above its mark.
      clock.advance(Duration.ofSeconds(1));
      var receipted =
          messages
              .appendAsync(
                  new NewMessage(alice, "alice", bob, "ho", null, "t", 7, now, true), quota)
              .get();
      messages
          .appendAsync(new NewMessage(alice, "alice", bob, "ho", null, "t", 7, now, true), quota)
          .get(); // the same client id again: found, not stored
      var legacy = messages.undelivered(bob, 0, 10, 1 << 20);
      messages.markDelivered(List.of(legacy.get(0).id()));
      messages.acknowledge(Map.of(bob, receipted.message().seq()));
      messages.markRead(bob, alice, receipted.message().seq());
      messages.unacknowledgedReceipts(alice, 0);
      db.write(
          tx -> {
            for (long[] pair : new long[][] {{alice, bob}, {bob, alice}}) {
              var ps =
                  tx.prepare(
                      "INSERT INTO friendships (user_id, friend_id, created_at) VALUES (?, ?, 0)");
              ps.setLong(1, pair[0]);
              ps.setLong(2, pair[1]);
              ps.executeUpdate();
            }
            return null;
          });
      // Bob read everything above: counted, and nothing unread.
      assertThat(messages.unread(bob, 1000).friends()).isEmpty();
      messages.history(bob, alice, 0, false, 10, 1 << 20, 0);
      messages.history(bob, alice, 1, true, 10, 1 << 20, 0);
      messages.purgeDelivered(Instant.ofEpochMilli(now + 1), Instant.ofEpochMilli(now + 1));
    }

    List<String> onMessages = new ArrayList<>();
    for (String sql : prepared) {
      if (sql.matches("(?s).*\\bmessages\\b.*") && !sql.startsWith("PRAGMA")) {
        onMessages.add(sql);
      }
    }
    assertThat(onMessages).hasSizeGreaterThanOrEqualTo(10);
    try (Connection c = DriverManager.getConnection(url)) {
      for (String sql : onMessages) {
        assertThat(plan(c, sql))
            .as("query plan of %s", sql)
            .noneMatch(step -> step.matches("SCAN (messages|m)\\b.*"));
      }
      // The quota check runs before every message is stored: it reads the recipient's undelivered
      // entries of the index alone, never their rows (which a backlog makes many).
      String quota =
          onMessages.stream().filter(s -> s.contains("SUM(body_bytes)")).findFirst().orElseThrow();
      assertThat(plan(c, quota))
          .as("query plan of %s", quota)
          .anyMatch(step -> step.contains("USING COVERING INDEX messages_undelivered"));
      // History pages and unread counts (C_HISTORY, C_UNREAD_REQ) find a conversation's messages
      // through the primary key of conversations up to its mark, and above it by a range of ids
      // (about a second of messages): never the recipient's other messages, never a scan.
      List<String> indexed =
          onMessages.stream().filter(s -> s.contains("FROM conversations c")).toList();
      assertThat(indexed).hasSizeGreaterThanOrEqualTo(3); // history both ways, advance, tally
      for (String sql : indexed) {
        assertThat(plan(c, sql))
            .as("query plan of %s", sql)
            .anyMatch(
                step ->
                    step.matches(
                        "SEARCH c USING PRIMARY KEY \\(sender_id=\\? AND recipient_id=\\? AND"
                            + " id>\\?( AND id<\\?)?\\)"))
            .noneMatch(step -> step.matches("SCAN (conversations|c)\\b.*"))
            .noneMatch(step -> step.contains("messages_"));
      }
      List<String> aboveTheMark =
          onMessages.stream()
              .filter(s -> s.contains("conversations_mark") && !s.startsWith("UPDATE"))
              .toList();
      assertThat(aboveTheMark).hasSizeGreaterThanOrEqualTo(4); // the same, and the fill
      for (String sql : aboveTheMark) {
        assertThat(plan(c, sql))
            .as("query plan of %s", sql)
            .anyMatch(
                step -> step.matches("SEARCH (m|messages) USING INTEGER PRIMARY KEY \\(rowid>.*"))
            .noneMatch(step -> step.contains("messages_"));
      }
      assertThat(onMessages).anyMatch(s -> s.contains(") counted"));
      // The fill (after opening) reads the messages above the mark by their ids.
      String fill =
          onMessages.stream()
              .filter(
                  s ->
                      s.startsWith("INSERT OR IGNORE INTO conversations")
                          && s.contains("conversations_mark"))
              .findFirst()
              .orElseThrow();
      assertThat(plan(c, fill))
          .as("query plan of %s", fill)
          .anyMatch(
              step -> step.matches("SEARCH messages USING INTEGER PRIMARY KEY \\(rowid>\\?\\)"));
      // A due conversation's entries are inserted each after a look-up of its message by id.
      String entry =
          onMessages.stream()
              .filter(
                  s -> s.startsWith("INSERT OR IGNORE INTO conversations") && s.contains("?, ?, ?"))
              .findFirst()
              .orElseThrow();
      assertThat(plan(c, entry))
          .as("query plan of %s", entry)
          .anyMatch(
              step ->
                  step.matches(
                      "SEARCH messages (EXISTS )?USING INTEGER PRIMARY KEY \\(rowid=\\?\\)"));
    }
  }

  private static long user(JdbcAccountStore accounts, String name) {
    return accounts
        .create(new NewUser(name, name, "hash-" + name, Gender.MALE, name + "@x.y"))
        .orElseThrow()
        .id();
  }

  /** The steps of {@code sql}'s plan, e.g. "SEARCH messages USING INDEX messages_undelivered". */
  private static List<String> plan(Connection c, String sql) throws SQLException {
    List<String> steps = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("EXPLAIN QUERY PLAN " + sql);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        steps.add(rs.getString("detail"));
      }
    }
    return steps;
  }

  /** {@code c}, recording the text of every statement prepared on it. */
  private static Connection recording(Connection c, Set<String> prepared) {
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) -> {
              if (method.getName().startsWith("prepare")
                  && args != null
                  && args[0] instanceof String s) {
                prepared.add(s);
              }
              try {
                return method.invoke(c, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }
}
