package imps.server.store.migration;

import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.CommandType;
import imps.protocol.ErrorCode;
import imps.protocol.Feature;
import imps.protocol.message.Ack;
import imps.protocol.message.AddFriendResponse;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.FriendRequestPush;
import imps.protocol.message.Hello;
import imps.protocol.message.HelloResponse;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.LoginResponse;
import imps.protocol.message.MessagePush;
import imps.protocol.message.SendMessage;
import imps.protocol.message.StoredPush;
import imps.protocol.message.UnreadCounts;
import imps.protocol.message.UnreadRequest;
import imps.server.ServerFixture;
import imps.server.account.NameRules;
import imps.server.account.PasswordHasher;
import imps.server.config.ServerConfig;
import imps.testsupport.FrameClient;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.flywaydb.core.Flyway;

/**
 * Migrations V2 (sequence numbers), V3 (receipts) and V10 (read marks) on a database that holds
 * data written before them (schema 1.1): a pending friend request, an undelivered request outcome,
 * delivered and undelivered messages. Afterwards a server on that database numbers what was stored
 * in the order a login always sent it (requests, outcomes, messages), sends an opted-in client what
 * was not delivered with those numbers, and numbers new items after them.
 */
final class SequenceMigrationCheck {
  private static final Set<Feature> ACKS_AND_UNREAD =
      Set.of(Feature.ACKS, Feature.IDEMPOTENT_SENDS, Feature.RECEIPTS, Feature.UNREAD);

  private SequenceMigrationCheck() {}

  /**
   * @param config the server configuration for that database (its store and location)
   */
  static void check(String url, String user, String location, ServerConfig.Builder config)
      throws Exception {
    Flyway.configure().dataSource(url, user, "").locations(location).target("1.1").load().migrate();
    try (Connection c = DriverManager.getConnection(url, user, "")) {
      String hash = new PasswordHasher(64, 1).hash(ServerFixture.PASSWORD);
      long alice = insertUser(c, "alice", hash);
      long bob = insertUser(c, "bob", hash);
      long carol = insertUser(c, "carol", hash);
      try (Statement s = c.createStatement()) {
        s.executeUpdate(
            "INSERT INTO friendships (user_id, friend_id, created_at) VALUES ("
                + alice
                + ", "
                + bob
                + ", 0), ("
                + bob
                + ", "
                + alice
                + ", 0)");
        s.executeUpdate(
            "INSERT INTO friend_requests (from_id, to_id, created_at) VALUES ("
                + carol
                + ", "
                + bob
                + ", 0)");
        s.executeUpdate(
            "INSERT INTO request_outcomes (user_id, other_id, accepted, delivered, created_at)"
                + " VALUES ("
                + bob
                + ", "
                + alice
                + ", 1, 0, 0)");
      }
      insertMessage(c, alice, bob, "m1", true);
      insertMessage(c, alice, bob, "m2", false);
      insertMessage(c, bob, alice, "to alice", false);
      insertMessage(c, alice, bob, "m3", false);
    }
    Flyway.configure().dataSource(url, user, "").locations(location).load().migrate();

    try (ServerFixture server = ServerFixture.start(config.build())) {
      FrameClient b = server.connect();
      b.send(new Hello(1, ACKS_AND_UNREAD));
      b.expect(HelloResponse.class);
      b.send(new LoginRequest("bob", ServerFixture.PASSWORD));
      assertThat(b.expect(LoginResponse.class).token()).isNotBlank();
      List<String> got = new ArrayList<>();
      long last = 0;
      for (int i = 0; i < 4; i++) {
        StoredPush p = b.expect(StoredPush.class);
        got.add(p.seq() + ":" + describe(p));
        last = p.seq();
      }
      // m1 was delivered before the migration: numbered (3) but not sent again.
      assertThat(got).containsExactly("1:request carol", "2:outcome alice", "4:m2", "5:m3");
      b.send(new Ack(last));
      // V10 (read marks): m1, delivered before, counts as read; m2 and m3 are unread.
      b.send(UnreadRequest.INSTANCE);
      assertThat(b.awaitMatching(UnreadCounts.class, x -> true).friends())
          .containsExactly(new UnreadCounts.Friend("alice", 2));

      FrameClient a = server.login("alice");
      // Bob's presence may reach alice first (his login announces it once his backlog is out).
      assertThat(a.awaitMatching(MessagePush.class, m -> true).message()).isEqualTo("to alice");
      a.send(new SendMessage("alice", "bob", "after"));
      assertThat(
              a.awaitMatching(ErrorResponse.class, e -> e.cmd() == CommandType.C_SEND_MSG.value()))
          .isEqualTo(ErrorResponse.of(ErrorCode.SUCCESS, CommandType.C_SEND_MSG));
      StoredPush p = b.awaitMatching(StoredPush.class, x -> true, Duration.ofSeconds(10));
      assertThat(p.seq()).isEqualTo(6);
      assertThat(describe(p)).isEqualTo("after");
    }
  }

  private static String describe(StoredPush p) {
    if (p.item() instanceof FriendRequestPush r) {
      return "request " + r.friendName();
    }
    if (p.item() instanceof AddFriendResponse r) {
      return "outcome " + r.userName();
    }
    if (p.item() instanceof MessagePush m) {
      return m.message();
    }
    return p.item().toString();
  }

  private static long insertUser(Connection c, String name, String hash) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO users (name, name_key, password_hash, gender, email, created_at)"
                + " VALUES (?, ?, ?, 0, '', 0)")) {
      ps.setString(1, name);
      ps.setString(2, NameRules.key(name));
      ps.setString(3, hash);
      ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT id FROM users WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static void insertMessage(
      Connection c, long from, long to, String text, boolean delivered) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO messages (sender_id, recipient_id, body_text, accepted_at, delivered)"
                + " VALUES (?, ?, ?, '2026-11-01 12:00:00', ?)")) {
      ps.setLong(1, from);
      ps.setLong(2, to);
      ps.setString(3, text);
      ps.setInt(4, delivered ? 1 : 0);
      ps.executeUpdate();
    }
  }
}
