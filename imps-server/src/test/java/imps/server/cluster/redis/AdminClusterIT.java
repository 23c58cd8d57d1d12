package imps.server.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import imps.protocol.CommandType;
import imps.protocol.Presence;
import imps.protocol.message.AudioPush;
import imps.protocol.message.AudioRequest;
import imps.protocol.message.ClipBytes;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.MessagePush;
import imps.protocol.message.SendMessage;
import imps.server.AdminCliRunner;
import imps.server.ImpsServer;
import imps.server.ImpsServerExtension;
import imps.server.ServerFixture;
import imps.server.config.ServerConfig;
import imps.server.store.PostgresTestDatabase;
import imps.testsupport.FrameClient;
import imps.testsupport.RedisTestServer;
import imps.testsupport.Services;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The admin commands in a two-node cluster (PostgreSQL and a Redis server of this class's own): a
 * command run on node A acts on a user whose session is on node B.
 */
class AdminClusterIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension static final PostgresTestDatabase db = PostgresTestDatabase.perClass();
  @RegisterExtension static final RedisTestServer redis = RedisTestServer.perClass();
  private static ImpsServer nodeA;
  private static ImpsServer nodeB;
  private final List<FrameClient> clients = new ArrayList<>();

  @BeforeAll
  static void startCluster() throws IOException {
    Services.requirePostgres();
    nodeA =
        ImpsServer.start(
            ClusterNodes.config("a", db, redis.uri(), ClusterIT.NODE_TTL)
                .set(ServerConfig.Key.ADMIN_PORT, "0")
                .build());
    nodeB =
        ImpsServer.start(
            ClusterNodes.config("b", db, redis.uri(), ClusterIT.NODE_TTL)
                .set(ServerConfig.Key.ADMIN_PORT, "0")
                .build());
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

  @AfterEach
  void closeClients() {
    for (FrameClient c : clients) {
      try {
        c.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  /** {@code ./imps admin WORDS} against {@code node}; the answer, after a zero exit status. */
  private static JsonNode admin(ImpsServer node, String... words) throws IOException {
    AdminCliRunner.Result r = run(node, words);
    assertThat(r.status()).as(r.err()).isZero();
    return JSON.readTree(r.out());
  }

  private static AdminCliRunner.Result run(ImpsServer node, String... words) {
    return AdminCliRunner.run(
        "http://127.0.0.1:" + node.adminPort(), node.config().dataDir(), words);
  }

  private FrameClient loginOn(ImpsServer node, String name) throws IOException {
    FrameClient c = ServerFixture.loginOn(node.port(), name);
    clients.add(c);
    return c;
  }

  @Test
  void deleteOnOneNodeClosesTheSessionOnTheOtherAndTellsItsFriends() throws IOException {
    String gone = ServerFixture.uniqueName("acd");
    String pal = ServerFixture.uniqueName("acp");
    ServerFixture.registerOn(nodeA.port(), gone, pal);
    FrameClient onB = loginOn(nodeB, gone);
    FrameClient palOnA = loginOn(nodeA, pal);
    ServerFixture.befriend(onB, gone, palOnA, pal);

    JsonNode deleted = admin(nodeA, "users", "delete", gone);
    assertThat(deleted.get("friendsTold").asInt()).isEqualTo(1);
    assertThat(deleted.get("kicked").asInt()).isEqualTo(1);
    onB.expectClosed(Duration.ofSeconds(10));
    ServerFixture.expectStatus(palOnA, gone, Presence.OFFLINE);

    FrameClient again = FrameClient.connect(nodeB.port());
    clients.add(again);
    again.send(new LoginRequest(gone, ImpsServerExtension.PASSWORD));
    again.expectError(6, CommandType.C_LOGIN_REQ);
  }

  /**
   * Connections to {@code node} are closed at once, with nothing written, within {@code within}.
   */
  private static boolean refusedWithin(ImpsServer node, Duration within) throws IOException {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      try (FrameClient c = FrameClient.connect(node.port())) {
        try {
          c.expectClosed(Duration.ofMillis(500));
          if (c.buffered().isEmpty()) {
            return true;
          }
        } catch (AssertionError stillOpen) {
          // not banned here yet
        }
      }
    }
    return false;
  }

  @Test
  void anAddressBanOnOneNodeHoldsOnTheOtherWithinThePoll() throws IOException {
    String u = ServerFixture.uniqueName("acb");
    ServerFixture.registerOn(nodeA.port(), u);
    FrameClient onB = loginOn(nodeB, u);
    try {
      admin(nodeA, "bans", "add", "127.0.0.0/8");
      // Node B reads the bans every 2 s: its open connection is closed, new ones are refused.
      onB.expectClosed(Duration.ofSeconds(10));
      assertThat(refusedWithin(nodeB, Duration.ofSeconds(10))).isTrue();
      assertThat(admin(nodeB, "bans", "list").findValuesAsText("cidr"))
          .containsExactly("127.0.0.0/8");
    } finally {
      admin(nodeB, "bans", "remove", "127.0.0.0/8");
    }
    // Lifted on node B: node A lets clients in again within its poll.
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      try {
        loginOn(nodeA, u);
        break;
      } catch (IOException | AssertionError e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
      }
    }
  }

  @Test
  void sessionsListShowsTheSessionsOfEveryNode() throws IOException {
    String onA = ServerFixture.uniqueName("acla");
    String onB = ServerFixture.uniqueName("aclb");
    ServerFixture.registerOn(nodeA.port(), onA, onB);
    loginOn(nodeA, onA);
    loginOn(nodeB, onB);
    for (ImpsServer asked : List.of(nodeA, nodeB)) {
      JsonNode sessions = admin(asked, "sessions", "list");
      JsonNode a = find(sessions, onA);
      JsonNode b = find(sessions, onB);
      assertThat(a.get("node").asText()).isEqualTo("a");
      assertThat(b.get("node").asText()).isEqualTo("b");
      for (JsonNode s : List.of(a, b)) {
        assertThat(s.get("address").asText()).isEqualTo("127.0.0.1");
        assertThat(s.get("transport").asText()).isEqualTo("tcp");
        assertThat(java.time.Instant.parse(s.get("since").asText()))
            .isBefore(java.time.Instant.now().plusSeconds(1));
      }
    }
  }

  /** {@code GET /api/PATH} on {@code node}'s admin port, with the token from its data directory. */
  private static JsonNode api(ImpsServer node, String path) throws Exception {
    String token =
        imps.server.admin.AdminToken.read(
            node.config().dataDir().resolve(imps.server.admin.AdminToken.FILE));
    java.net.http.HttpResponse<String> r =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + node.adminPort() + path))
                    .header("Authorization", "Bearer " + token)
                    .timeout(Duration.ofSeconds(30))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static JsonNode nodeIn(JsonNode stats, String node) {
    for (JsonNode n : stats.get("nodes")) {
      if (n.get("node").asText().equals(node)) {
        return n;
      }
    }
    throw new AssertionError(node + " not in " + stats);
  }

  private static long figure(JsonNode stats, String node, String kind, String stage) {
    return nodeIn(stats, node).get(kind).get(stage).asLong();
  }

  /**
   * stats asked on either node, through either face, has both nodes' figures and their total: a
   * text and clip sent by a user of node a to a user of node b are stored by a and delivered by b.
   */
  @Test
  void statsGiveEveryNodesFiguresAndTheirTotal() throws Exception {
    JsonNode before = admin(nodeA, "stats");
    String onA = ServerFixture.uniqueName("acsa");
    String onB = ServerFixture.uniqueName("acsb");
    ServerFixture.registerOn(nodeA.port(), onA, onB);
    FrameClient a = loginOn(nodeA, onA);
    FrameClient b = loginOn(nodeB, onB);
    ServerFixture.befriend(a, onA, b, onB);
    for (String text : List.of("one", "two")) {
      a.send(new SendMessage(onA, onB, text));
      a.expectError(0, CommandType.C_SEND_MSG);
      b.awaitMatching(MessagePush.class, m -> m.message().equals(text));
    }
    a.send(new AudioRequest(onB, ClipBytes.copyOf(new byte[] {1, 2}), ""));
    a.expectError(0, CommandType.C_AUDIO_REQ);
    b.awaitMatching(AudioPush.class, p -> p.friendName().equals(onA));

    List<JsonNode> answers = List.of(admin(nodeA, "stats"), api(nodeB, "/api/stats"));
    assertThat(answers.get(0).get("node").asText()).isEqualTo("a");
    assertThat(answers.get(1).get("node").asText()).isEqualTo("b");
    for (JsonNode s : answers) {
      assertThat(s.get("nodes").findValuesAsText("node")).containsExactlyInAnyOrder("a", "b");
      assertThat(s.get("users").asLong()).isEqualTo(before.get("users").asLong() + 2);
      assertThat(nodeIn(s, "a").get("online").asLong()).isPositive();
      assertThat(nodeIn(s, "b").get("online").asLong()).isPositive();
      assertThat(figure(s, "a", "messages", "stored") - figure(before, "a", "messages", "stored"))
          .isEqualTo(2);
      assertThat(figure(s, "a", "clips", "stored") - figure(before, "a", "clips", "stored"))
          .isEqualTo(1);
      assertThat(
              figure(s, "b", "messages", "delivered")
                  - figure(before, "b", "messages", "delivered"))
          .isEqualTo(2);
      assertThat(figure(s, "b", "clips", "delivered") - figure(before, "b", "clips", "delivered"))
          .isEqualTo(1);
      assertThat(figure(s, "a", "messages", "delivered"))
          .isEqualTo(figure(before, "a", "messages", "delivered"));
      assertThat(figure(s, "b", "messages", "stored"))
          .isEqualTo(figure(before, "b", "messages", "stored"));
      // The total is the sum of the nodes.
      for (String kind : List.of("messages", "clips")) {
        for (String stage : List.of("stored", "delivered")) {
          assertThat(s.get("total").get(kind).get(stage).asLong())
              .as("total %s %s", kind, stage)
              .isEqualTo(figure(s, "a", kind, stage) + figure(s, "b", kind, stage));
        }
      }
      assertThat(s.get("total").get("online").asLong())
          .isEqualTo(nodeIn(s, "a").get("online").asLong() + nodeIn(s, "b").get("online").asLong());
    }
  }

  private static JsonNode find(JsonNode sessions, String user) {
    for (JsonNode s : sessions) {
      if (s.get("user").asText().equals(user)) {
        return s;
      }
    }
    throw new AssertionError(user + " not in " + sessions);
  }

  /**
   * users show on one node sees a session on the other (also an invisible one), and users ban there
   * closes it; unbanned on the other node, the user logs in again.
   */
  @Test
  void showAndBanOnOneNodeSeeAndCloseTheSessionOnTheOther() throws Exception {
    String u = ServerFixture.uniqueName("acs");
    ServerFixture.registerOn(nodeA.port(), u);
    assertThat(admin(nodeA, "users", "show", u).get("online").asBoolean()).isFalse();
    FrameClient onB = loginOn(nodeB, u);
    onB.send(new imps.protocol.message.StatusNotifyRequest(u, Presence.INVISIBLE));
    onB.expectError(0, CommandType.C_STATUS_NOTIFY);
    assertThat(admin(nodeA, "users", "show", u).get("online").asBoolean()).isTrue();
    assertThat(api(nodeB, "/api/users/show?name=" + u).get("online").asBoolean()).isTrue();

    JsonNode banned = admin(nodeA, "users", "ban", u);
    assertThat(banned.get("banned").asBoolean()).isTrue();
    assertThat(banned.get("kicked").asInt()).isEqualTo(1);
    onB.expectClosed(Duration.ofSeconds(10));
    try (FrameClient refused = FrameClient.connect(nodeB.port())) {
      refused.send(new LoginRequest(u, ImpsServerExtension.PASSWORD));
      refused.expectError(6, CommandType.C_LOGIN_REQ);
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (admin(nodeA, "users", "show", u).get("online").asBoolean()) {
      assertThat(System.nanoTime()).as("offline once closed").isLessThan(deadline);
      Thread.sleep(100);
    }
    assertThat(admin(nodeB, "users", "unban", u).get("banned").asBoolean()).isFalse();
    loginOn(nodeA, u);
  }

  @Test
  void kickOnOneNodeClosesTheSessionOnTheOther() throws IOException {
    String u = ServerFixture.uniqueName("ack");
    ServerFixture.registerOn(nodeA.port(), u);
    FrameClient onB = loginOn(nodeB, u);

    assertThat(admin(nodeA, "sessions", "kick", u).get("kicked").asInt()).isEqualTo(1);
    onB.expectClosed(Duration.ofSeconds(10));
    // Gone from the directory once its node saw the close: nothing left to kick.
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    AdminCliRunner.Result none = run(nodeA, "sessions", "kick", u);
    while (none.status() == 0 && System.nanoTime() < deadline) {
      none = run(nodeA, "sessions", "kick", u);
    }
    assertThat(none.status()).isEqualTo(1);
  }
}
