package imps.server.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.CommandType;
import imps.protocol.Presence;
import imps.protocol.message.ClipBytes;
import imps.protocol.message.FriendInfo;
import imps.protocol.message.FriendListRequest;
import imps.protocol.message.FriendListResponse;
import imps.protocol.message.MessagePush;
import imps.protocol.message.SendMessage;
import imps.protocol.message.StatusNotifyPush;
import imps.protocol.message.StatusNotifyRequest;
import imps.server.ImpsServer;
import imps.server.ServerFixture;
import imps.server.ServerProcess;
import imps.server.config.ServerConfig;
import imps.server.store.PostgresTestDatabase;
import imps.testsupport.FrameClient;
import imps.testsupport.RedisTestServer;
import imps.testsupport.Services;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three IMPS nodes sharing one fresh PostgreSQL database and a Redis server of this class's own:
 * two in this JVM (A, B) and one as a separate process (C) that a test kills with SIGKILL.
 * Everything of section 7 that spans users must hold whichever nodes they are on.
 */
class ClusterIT {
  static final Duration NODE_TTL = Duration.ofSeconds(3);

  @RegisterExtension static final PostgresTestDatabase db = PostgresTestDatabase.perClass();
  @RegisterExtension static final RedisTestServer redis = RedisTestServer.perClass();
  private static ImpsServer nodeA;
  private static ImpsServer nodeB;
  private final List<FrameClient> clients = new ArrayList<>();

  @BeforeAll
  static void startCluster() throws IOException {
    Services.requirePostgres();
    nodeA = ImpsServer.start(config("a").build());
    nodeB = ImpsServer.start(config("b").build());
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

  static ServerConfig.Builder config(String nodeId) throws IOException {
    return ClusterNodes.config(nodeId, db, redis.uri(), NODE_TTL);
  }

  // ---------------------------------------------------------------------------------------------

  @Test
  void usersOnDifferentNodesBefriendChatAndSeePresence() throws IOException {
    String a = ServerFixture.uniqueName("ca");
    String b = ServerFixture.uniqueName("cb");
    register(nodeA.port(), a, b);
    FrameClient ca = login(nodeA.port(), a);
    FrameClient cb = login(nodeB.port(), b);
    ServerFixture.befriend(ca, a, cb, b);

    // The friend list on A sees B's user online.
    ca.send(new FriendListRequest(a));
    FriendListResponse list = ca.expect(FriendListResponse.class);
    assertThat(list.friends()).extracting(FriendInfo::status).containsExactly(Presence.ONLINE);

    ca.send(new SendMessage(a, b, "hello from A"));
    ca.expectError(0, CommandType.C_SEND_MSG);
    MessagePush got = cb.expect(MessagePush.class);
    assertThat(got.friendName()).isEqualTo(a);
    assertThat(got.message()).isEqualTo("hello from A");
    cb.send(new SendMessage(b, a, "hi from B"));
    cb.expectError(0, CommandType.C_SEND_MSG);
    assertThat(ca.expect(MessagePush.class).message()).isEqualTo("hi from B");

    // Invisible, visible, gone: each change reaches the friend on the other node.
    cb.send(new StatusNotifyRequest(b, Presence.INVISIBLE));
    cb.expectError(0, CommandType.C_STATUS_NOTIFY);
    ca.expect(new StatusNotifyPush(b, Presence.OFFLINE));
    cb.send(new StatusNotifyRequest(b, Presence.ONLINE));
    cb.expectError(0, CommandType.C_STATUS_NOTIFY);
    ca.expect(new StatusNotifyPush(b, Presence.ONLINE));
    cb.close();
    ca.expect(new StatusNotifyPush(b, Presence.OFFLINE));

    // Offline messages sent through A arrive when B's user logs in on A, in order.
    for (int i = 0; i < 5; i++) {
      ca.send(new SendMessage(a, b, "stored " + i));
    }
    for (int i = 0; i < 5; i++) {
      ca.expectError(0, CommandType.C_SEND_MSG);
    }
    FrameClient cb2 = login(nodeA.port(), b);
    for (int i = 0; i < 5; i++) {
      assertThat(cb2.expect(MessagePush.class).message()).isEqualTo("stored " + i);
    }
    ca.expect(new StatusNotifyPush(b, Presence.ONLINE));
    cb2.expectSilence(Duration.ofMillis(300));
  }

  @Test
  void historyReadsTheConversationWhicheverNodesItWentThrough() throws IOException {
    String a = ServerFixture.uniqueName("ha");
    String b = ServerFixture.uniqueName("hb");
    register(nodeA.port(), a, b);
    FrameClient ca = login(nodeA.port(), a);
    FrameClient cb = login(nodeB.port(), b);
    ServerFixture.befriend(ca, a, cb, b);
    ca.send(new SendMessage(a, b, "via A"));
    ca.expectError(0, CommandType.C_SEND_MSG);
    cb.expect(MessagePush.class);
    cb.send(new SendMessage(b, a, "via B"));
    cb.expectError(0, CommandType.C_SEND_MSG);
    ca.expect(MessagePush.class);
    // A clip, stored through node B, comes back as its bytes through node B too.
    ClipBytes clip = ClipBytes.copyOf(new byte[] {9, 8, 7, 6});
    cb.send(new imps.protocol.message.AudioRequest(a, clip, ""));
    cb.expectError(0, CommandType.C_AUDIO_REQ);
    ca.expect(imps.protocol.message.AudioPush.class);

    FrameClient reader = FrameClient.connect(nodeB.port());
    clients.add(reader);
    reader.send(
        new imps.protocol.message.Hello(1, java.util.Set.of(imps.protocol.Feature.HISTORY)));
    reader.expect(imps.protocol.message.HelloResponse.class);
    reader.send(new imps.protocol.message.LoginRequest(a, ServerFixture.PASSWORD));
    reader.expect(imps.protocol.message.LoginResponse.class);
    reader.send(new imps.protocol.message.HistoryRequest(b, 0, false, 10));
    imps.protocol.message.HistoryPage page = reader.expect(imps.protocol.message.HistoryPage.class);
    assertThat(page.more()).isFalse();
    assertThat(page.entries())
        .extracting(imps.protocol.message.HistoryPage.Entry::text)
        .containsExactly(null, "via B", "via A");
    assertThat(page.entries())
        .extracting(imps.protocol.message.HistoryPage.Entry::clip)
        .containsExactly(clip, null, null);
    assertThat(page.entries())
        .extracting(imps.protocol.message.HistoryPage.Entry::outgoing)
        .containsExactly(false, false, true);
  }

  @Test
  void liveLocationsReachAFriendOnTheOtherNode() throws IOException {
    String a = ServerFixture.uniqueName("la");
    String b = ServerFixture.uniqueName("lb");
    register(nodeA.port(), a, b);
    FrameClient ca = login(nodeA.port(), a);
    FrameClient watcher = FrameClient.connect(nodeB.port());
    clients.add(watcher);
    watcher.send(
        new imps.protocol.message.Hello(1, java.util.Set.of(imps.protocol.Feature.LIVE_LOCATIONS)));
    watcher.expect(imps.protocol.message.HelloResponse.class);
    watcher.send(new imps.protocol.message.LoginRequest(b, ServerFixture.PASSWORD));
    watcher.expect(imps.protocol.message.LoginResponse.class);
    ServerFixture.befriend(ca, a, watcher, b);
    watcher.send(new imps.protocol.message.LiveLocationsRequest(true));
    watcher.expectError(0, CommandType.C_LIVE_LOCATIONS);
    ca.send(
        new imps.protocol.message.HeartbeatRequest(
            a,
            List.of(new imps.protocol.message.LocationFix("2026-11-28 12:00:00", "23.13,113.26"))));
    ca.expect(imps.protocol.message.HeartbeatResponse.class);
    watcher.expect(
        new imps.protocol.message.LocationPush(a, "2026-11-28 12:00:00", "23.13,113.26"));

    // Invisible on node A: the friend on node B sees a go offline, and none of its fixes.
    ca.send(new StatusNotifyRequest(a, Presence.INVISIBLE));
    ca.expectError(0, CommandType.C_STATUS_NOTIFY);
    watcher.expect(new StatusNotifyPush(a, Presence.OFFLINE));
    ca.send(
        new imps.protocol.message.HeartbeatRequest(
            a,
            List.of(new imps.protocol.message.LocationFix("2026-11-28 12:00:10", "23.15,113.26"))));
    ca.expect(imps.protocol.message.HeartbeatResponse.class);
    watcher.expectSilence(Duration.ofMillis(500));
  }

  @Test
  void aTrackRecordedOnOneNodeIsReadOnTheOther() throws IOException {
    String a = ServerFixture.uniqueName("ta");
    String b = ServerFixture.uniqueName("tb");
    register(nodeA.port(), a, b);
    FrameClient ca = login(nodeA.port(), a);
    FrameClient reader = FrameClient.connect(nodeB.port());
    clients.add(reader);
    reader.send(new imps.protocol.message.Hello(1, java.util.Set.of(imps.protocol.Feature.TRACKS)));
    reader.expect(imps.protocol.message.HelloResponse.class);
    reader.send(new imps.protocol.message.LoginRequest(b, ServerFixture.PASSWORD));
    reader.expect(imps.protocol.message.LoginResponse.class);
    ServerFixture.befriend(ca, a, reader, b);
    ca.send(
        new imps.protocol.message.HeartbeatRequest(
            a,
            List.of(
                new imps.protocol.message.LocationFix("2026-11-28T12:00:00Z", "23.13,113.26"),
                new imps.protocol.message.LocationFix("2026-11-28T12:00:30Z", "23.14,113.26"))));
    ca.expect(imps.protocol.message.HeartbeatResponse.class);
    long t0 = java.time.Instant.parse("2026-11-28T12:00:00Z").getEpochSecond();
    reader.send(new imps.protocol.message.TrackRequest(a, t0, t0 + 60, 0));
    assertThat(reader.expect(imps.protocol.message.Track.class))
        .isEqualTo(
            new imps.protocol.message.Track(
                a,
                2,
                List.of(
                    new imps.protocol.message.Track.Point(t0, 23_130_000, 113_260_000),
                    new imps.protocol.message.Track.Point(t0 + 30, 23_140_000, 113_260_000))));
  }

  @Test
  void newestLoginOnAnotherNodeKicksTheOlderSessionWithoutFlicker() throws IOException {
    String u = ServerFixture.uniqueName("kick");
    String f = ServerFixture.uniqueName("kickf");
    register(nodeA.port(), u, f);
    FrameClient older = login(nodeA.port(), u);
    FrameClient friend = login(nodeA.port(), f);
    ServerFixture.befriend(older, u, friend, f);

    FrameClient newer = login(nodeB.port(), u);
    older.expectError(7, 0);
    older.expectClosed(Duration.ofSeconds(5));
    // The friend saw the user online throughout: no offline/online pair.
    friend.expectSilence(Duration.ofMillis(500));

    // Pushes now reach the newer session on B, exactly once.
    friend.send(new SendMessage(f, u, "to the newest"));
    friend.expectError(0, CommandType.C_SEND_MSG);
    assertThat(newer.expect(MessagePush.class).message()).isEqualTo("to the newest");
    newer.expectSilence(Duration.ofMillis(300));

    // And back: a login on A kicks the session on B.
    FrameClient third = login(nodeA.port(), u);
    newer.expectError(7, 0);
    newer.expectClosed(Duration.ofSeconds(5));
    friend.send(new SendMessage(f, u, "third"));
    friend.expectError(0, CommandType.C_SEND_MSG);
    assertThat(third.expect(MessagePush.class).message()).isEqualTo("third");
    friend.expectSilence(Duration.ofMillis(300));
  }

  @Test
  void manyMessagesAcrossNodesArriveOnceAndInOrder() throws IOException {
    String s = ServerFixture.uniqueName("seq");
    String r = ServerFixture.uniqueName("seqr");
    register(nodeA.port(), s, r);
    FrameClient cs = login(nodeA.port(), s);
    FrameClient cr = login(nodeB.port(), r);
    ServerFixture.befriend(cs, s, cr, r);
    int n = 300;
    for (int i = 0; i < n; i++) {
      cs.send(new SendMessage(s, r, "m" + i));
    }
    for (int i = 0; i < n; i++) {
      cs.expectError(0, CommandType.C_SEND_MSG);
    }
    for (int i = 0; i < n; i++) {
      assertThat(cr.expect(MessagePush.class).message()).isEqualTo("m" + i);
    }
    cr.expectSilence(Duration.ofMillis(500));
    // All are recorded as delivered once node B's kernel saw them acknowledged (the last ones
    // when the client's FIN arrives, PROTOCOL.md decision 28), and the session ends only then: a
    // new login after the friend saw r go offline gets no repeats.
    cr.close();
    cs.awaitMatching(
        StatusNotifyPush.class, p -> p.userName().equals(r) && p.status() == Presence.OFFLINE);
    FrameClient again = login(nodeA.port(), r);
    again.expectSilence(Duration.ofMillis(500));
  }

  @Test
  void killedNodesUsersGoOfflineWithinTheBoundAndItsMessagesSurvive() throws Exception {
    String victim = ServerFixture.uniqueName("dead");
    String watcher = ServerFixture.uniqueName("watch");
    String away = ServerFixture.uniqueName("away");
    register(nodeA.port(), victim, watcher, away);
    FrameClient w = login(nodeA.port(), watcher);
    FrameClient aw = login(nodeB.port(), away);

    ServerProcess c = startProcessNode("c");
    try {
      FrameClient v = login(c.port(), victim);
      ServerFixture.befriend(v, victim, w, watcher);
      ServerFixture.befriend(v, victim, aw, away);
      aw.close();
      v.awaitMatching(StatusNotifyPush.class, p -> p.status() == Presence.OFFLINE);
      // Acknowledged by node C, for a friend who is offline.
      for (int i = 0; i < 20; i++) {
        v.send(new SendMessage(victim, away, "before the crash " + i));
      }
      for (int i = 0; i < 20; i++) {
        v.expectError(0, CommandType.C_SEND_MSG);
      }
      long killedAt = System.nanoTime();
      c.kill9();
      w.expect(new StatusNotifyPush(victim, Presence.OFFLINE));
      long tookMs = (System.nanoTime() - killedAt) / 1_000_000;
      System.out.printf("node C killed: friend saw the user offline after %d ms%n", tookMs);
      assertThat(tookMs).isLessThanOrEqualTo(NODE_TTL.toMillis() + 1000);
    } finally {
      c.kill9();
    }

    FrameClient back = login(nodeB.port(), away);
    for (int i = 0; i < 20; i++) {
      assertThat(back.expect(MessagePush.class).message()).isEqualTo("before the crash " + i);
    }
    // The dead node's user can log in again elsewhere at once; the watcher sees it online.
    login(nodeB.port(), victim);
    w.expect(new StatusNotifyPush(victim, Presence.ONLINE));
  }

  // ---------------------------------------------------------------------------------------------

  private void register(int port, String... names) throws IOException {
    ServerFixture.registerOn(port, names);
  }

  private FrameClient login(int port, String name) throws IOException {
    FrameClient c = ServerFixture.loginOn(port, name);
    clients.add(c);
    return c;
  }

  /** Node C as a separate JVM, so that it can be killed with SIGKILL. */
  private static ServerProcess startProcessNode(String nodeId)
      throws IOException, InterruptedException {
    return ServerProcess.start(
        Files.createTempDirectory("imps-node-" + nodeId),
        List.of(
            "store=postgres",
            "postgres.url=" + db.url(),
            "postgres.pool-size=4",
            "cluster=redis",
            "redis.uri=" + redis.uri(),
            "node-id=" + nodeId,
            "node-ttl=" + NODE_TTL.toMillis() + "ms",
            "worker-threads=8"));
  }
}
