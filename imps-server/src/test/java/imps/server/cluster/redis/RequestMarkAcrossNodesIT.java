package imps.server.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.CommandType;
import imps.protocol.message.AddFriendAnswer;
import imps.protocol.message.AddFriendRequest;
import imps.protocol.message.AddFriendResponse;
import imps.protocol.message.FriendRequestPush;
import imps.protocol.message.MessagePush;
import imps.protocol.message.SendMessage;
import imps.server.ImpsServer;
import imps.server.ServerFixture;
import imps.server.store.PostgresTestDatabase;
import imps.testsupport.FrameClient;
import imps.testsupport.RedisTestServer;
import imps.testsupport.Services;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Finding M5 across two nodes: the delivery mark of a friend-request push that crosses nodes keeps
 * its kind. Were it to arrive as an outcome mark, the receiving node would record the request
 * outcome with the same number as delivered, and that outcome's owner would never get it.
 */
class RequestMarkAcrossNodesIT {
  @RegisterExtension static final PostgresTestDatabase db = PostgresTestDatabase.perClass();
  @RegisterExtension static final RedisTestServer redis = RedisTestServer.perClass();
  private static ImpsServer nodeA;
  private static ImpsServer nodeB;

  @BeforeAll
  static void startCluster() throws IOException {
    Services.requirePostgres();
    nodeA =
        ImpsServer.start(ClusterNodes.config("a", db, redis.uri(), Duration.ofSeconds(3)).build());
    nodeB =
        ImpsServer.start(ClusterNodes.config("b", db, redis.uri(), Duration.ofSeconds(3)).build());
  }

  @AfterAll
  static void stopCluster() {
    if (nodeA != null) {
      nodeA.close();
    }
    if (nodeB != null) {
      nodeB.close();
    }
  }

  @Test
  void aRequestPushedToAnotherNodeLeavesTheOutcomeWithItsNumberUndelivered() throws Exception {
    String x = ServerFixture.uniqueName("m5x");
    String y = ServerFixture.uniqueName("m5y");
    String a = ServerFixture.uniqueName("m5a");
    String b = ServerFixture.uniqueName("m5b");
    String f = ServerFixture.uniqueName("m5f");
    ServerFixture.registerOn(nodeA.port(), x, y, a, b, f);

    // X asks Y and goes away; Y refuses: X has an undelivered outcome, number k.
    try (FrameClient cx = ServerFixture.loginOn(nodeA.port(), x)) {
      cx.send(new AddFriendRequest(x, y));
      cx.expectError(0, CommandType.C_ADDFRIEND_REQ);
    }
    try (FrameClient cy = ServerFixture.loginOn(nodeB.port(), y)) {
      cy.expect(new FriendRequestPush(x));
      cy.send(new AddFriendAnswer(x, false));
      cy.expectError(0, CommandType.C_ADDFRIEND_RSP);
    }
    long k =
        single(
            "SELECT o.id FROM request_outcomes o JOIN users u ON u.id = o.user_id"
                + " WHERE u.name = ? AND o.delivered = 0",
            x);
    // B on node B has a friend F on node A.
    try (FrameClient cb = ServerFixture.loginOn(nodeB.port(), b);
        FrameClient cf = ServerFixture.loginOn(nodeA.port(), f);
        FrameClient ca = ServerFixture.loginOn(nodeA.port(), a)) {
      ServerFixture.befriend(cf, f, cb, b);
      assertThat(count("SELECT count(*) FROM friend_requests WHERE id = ?", k)).isZero();
      sql("ALTER TABLE friend_requests ALTER COLUMN id RESTART WITH " + k);

      // A on node A asks B on node B: the push crosses nodes with a request mark numbered k.
      ca.send(new AddFriendRequest(a, b));
      ca.expectError(0, CommandType.C_ADDFRIEND_REQ);
      cb.expect(new FriendRequestPush(a));
      assertThat(
              single(
                  "SELECT r.id FROM friend_requests r JOIN users u ON u.id = r.from_id"
                      + " WHERE u.name = ?",
                  a))
          .isEqualTo(k);
      // Then F's message, recorded as delivered after the request's mark was handed to the
      // recorder.
      cf.send(new SendMessage(f, b, "after the request"));
      cf.expectError(0, CommandType.C_SEND_MSG);
      assertThat(cb.expect(MessagePush.class).message()).isEqualTo("after the request");
      awaitDelivered("after the request");

      // X logs in on node B (a login first records the node's pending marks): the refusal is there.
      try (FrameClient cx = ServerFixture.loginOn(nodeB.port(), x)) {
        AddFriendResponse outcome = cx.expect(AddFriendResponse.class);
        assertThat(outcome.result()).isEqualTo(AddFriendResponse.Result.REFUSED);
        assertThat(outcome.userName()).isEqualTo(y);
      }
      // B's request is still pending and still reaches B's next session, once.
      cb.close();
      try (FrameClient cb2 = ServerFixture.loginOn(nodeA.port(), b)) {
        cb2.expect(new FriendRequestPush(a));
        cb2.expectSilence(Duration.ofMillis(300));
      }
    }
  }

  /** Waits (10 s at most) until the message with {@code body} is recorded as delivered. */
  private static void awaitDelivered(String body) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (count("SELECT count(*) FROM messages WHERE body_text = ? AND delivered = 1", body)
        == 0) {
      assertThat(System.nanoTime()).as("delivery of %s recorded", body).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection(db.url(), PostgresTestDatabase.USER, "");
  }

  private static long single(String query, Object param) throws SQLException {
    try (Connection c = connect();
        PreparedStatement ps = c.prepareStatement(query)) {
      ps.setObject(1, param);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).as("a row for %s", query).isTrue();
        long v = rs.getLong(1);
        assertThat(rs.next()).as("one row for %s", query).isFalse();
        return v;
      }
    }
  }

  private static long count(String query, Object param) throws SQLException {
    return single(query, param);
  }

  private static void sql(String statement) throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }
}
