package imps.server.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.CommandType;
import imps.protocol.Presence;
import imps.protocol.message.MessagePush;
import imps.protocol.message.SendMessage;
import imps.protocol.message.StatusNotifyPush;
import imps.server.ImpsServer;
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
 * Two nodes on a Redis server of this class's own, which the tests take away: it stops answering
 * for a few seconds (CLIENT PAUSE, longer than the command timeout and the alive-key TTL), only its
 * writes pause, or it restarts empty. Nodes keep serving their local users, afterwards they work
 * across nodes again without a restart, and one sender's messages to a user on another node still
 * arrive in acceptance order, each once (pushes that may have been lost are followed by a resync of
 * the recipient's session).
 */
class RedisOutageIT {
  @RegisterExtension static final PostgresTestDatabase db = PostgresTestDatabase.perClass();
  @RegisterExtension static final RedisTestServer redis = RedisTestServer.perClass();
  private static ImpsServer nodeA;
  private static ImpsServer nodeB;
  private final List<FrameClient> clients = new ArrayList<>();

  @BeforeAll
  static void start() throws IOException {
    Services.requirePostgres();
    nodeA = ImpsServer.start(config("oa"));
    nodeB = ImpsServer.start(config("ob"));
  }

  @AfterAll
  static void stop() {
    if (nodeA != null) {
      nodeA.close();
    }
    if (nodeB != null) {
      nodeB.close();
    }
  }

  @AfterEach
  void closeClients() throws IOException {
    for (FrameClient c : clients) {
      c.close();
    }
  }

  private static ServerConfig config(String nodeId) throws IOException {
    return ClusterNodes.config(nodeId, db, redis.uri(), Duration.ofSeconds(3)).build();
  }

  @Test
  void localUsersAreServedDuringAnOutageAndTheClusterRecovers() throws Exception {
    String x = ServerFixture.uniqueName("ox");
    String y = ServerFixture.uniqueName("oy");
    String z = ServerFixture.uniqueName("oz");
    register(x, y, z);
    FrameClient cx = login(nodeA.port(), x);
    FrameClient cy = login(nodeA.port(), y);
    FrameClient cz = login(nodeB.port(), z);
    ServerFixture.befriend(cx, x, cy, y);
    ServerFixture.befriend(cx, x, cz, z);
    List<String> sentToZ = new ArrayList<>();

    // Redis stops answering, longer than the command timeout and the alive keys' TTL (so a node
    // may clean the other out when Redis is back, before that one registers again).
    redis.pause(Duration.ofSeconds(4));
    long pausedAt = System.nanoTime();
    // Same node: served while Redis is away (a Redis look-up may time out first).
    cx.send(new SendMessage(x, y, "during the outage"));
    cx.expectError(0, CommandType.C_SEND_MSG);
    assertThat(cy.expect(MessagePush.class).message()).isEqualTo("during the outage");
    // To the other node: acknowledged (stored), delivered later, before anything newer from x.
    send(cx, x, z, "stored during the outage", sentToZ);
    sleepUntil(pausedAt, 4500);
    // Recovered without a restart: pushes cross nodes again.
    crossNodes(cx, x, cz, z, "after ", sentToZ);

    // Only writes pause: look-ups may answer while a push's XADD times out and is then executed
    // after all when the pause ends (or never, if a blocked keep-alive delays the look-up too).
    redis.pauseWrites(Duration.ofMillis(2500));
    pausedAt = System.nanoTime();
    send(cx, x, z, "stored during the write pause", sentToZ);
    sleepUntil(pausedAt, 3000);
    crossNodes(cx, x, cz, z, "after the write pause ", sentToZ);

    // Every message from x, in acceptance order, each once, whether pushed live or resent by a
    // resync; nothing more follows.
    collect(cz, Duration.ofMillis(500), null);
    assertThat(received).containsExactlyElementsOf(sentToZ);

    // Nothing is left for the next login either.
    cz.close();
    cx.awaitMatching(
        StatusNotifyPush.class, p -> p.userName().equals(z) && p.status() == Presence.OFFLINE);
    FrameClient cz2 = login(nodeA.port(), z);
    cx.awaitMatching(
        StatusNotifyPush.class, p -> p.userName().equals(z) && p.status() == Presence.ONLINE);
    cz2.expectSilence(Duration.ofMillis(300));
  }

  /**
   * Redis restarts empty (as one without persistence does): the nodes serve local users while it is
   * down, then register their sessions again, and the messages stored meanwhile come before newer
   * ones, each once.
   */
  @Test
  void aRestartedEmptyRedisGetsTheSessionsBack() throws Exception {
    String x = ServerFixture.uniqueName("rx");
    String y = ServerFixture.uniqueName("ry");
    String z = ServerFixture.uniqueName("rz");
    register(x, y, z);
    FrameClient cx = login(nodeA.port(), x);
    FrameClient cy = login(nodeA.port(), y);
    FrameClient cz = login(nodeB.port(), z);
    ServerFixture.befriend(cx, x, cy, y);
    ServerFixture.befriend(cx, x, cz, z);
    List<String> sentToZ = new ArrayList<>();
    crossNodes(cx, x, cz, z, "before the restart ", sentToZ);

    redis.stop();
    cx.send(new SendMessage(x, y, "while Redis is down"));
    cx.expectError(0, CommandType.C_SEND_MSG);
    assertThat(cy.expect(MessagePush.class).message()).isEqualTo("while Redis is down");
    send(cx, x, z, "stored while Redis is down", sentToZ);
    Thread.sleep(1000);
    redis.startAgain();
    crossNodes(cx, x, cz, z, "after the restart ", sentToZ);

    collect(cz, Duration.ofMillis(500), null);
    assertThat(received).containsExactlyElementsOf(sentToZ);
    // The directory is whole again: presence crosses nodes, and nothing is left stored.
    cz.close();
    cx.awaitMatching(
        StatusNotifyPush.class, p -> p.userName().equals(z) && p.status() == Presence.OFFLINE);
    // Offline implies the last deliveries are on record (the session ends once they are).
    FrameClient cz2 = login(nodeA.port(), z);
    cz2.expectSilence(Duration.ofMillis(300));
  }

  /** Messages {@code z} received, in order. */
  private final List<String> received = new ArrayList<>();

  private static void send(FrameClient cx, String x, String z, String text, List<String> sent)
      throws IOException {
    cx.send(new SendMessage(x, z, text));
    cx.expectError(0, CommandType.C_SEND_MSG);
    sent.add(text);
  }

  private static void sleepUntil(long since, long millis) throws InterruptedException {
    long left = millis - (System.nanoTime() - since) / 1_000_000;
    if (left > 0) {
      Thread.sleep(left);
    }
  }

  /** Sends numbered messages until one reaches {@code cz}. */
  private void crossNodes(
      FrameClient cx, String x, FrameClient cz, String z, String prefix, List<String> sent)
      throws IOException {
    long deadline = System.nanoTime() + Duration.ofSeconds(8).toNanos();
    boolean crossed = false;
    for (int i = 0; !crossed && System.nanoTime() < deadline; i++) {
      send(cx, x, z, prefix + i, sent);
      crossed = collect(cz, Duration.ofSeconds(2), prefix + i);
    }
    assertThat(crossed).as("a message crossed nodes after the pause").isTrue();
  }

  /**
   * Records the messages {@code c} receives until {@code text} arrives (then true) or {@code
   * timeout} passes (then false).
   */
  private boolean collect(FrameClient c, Duration timeout, String text) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        Object o = c.next(Duration.ofMillis(100));
        if (o instanceof MessagePush p) {
          received.add(p.message());
          if (p.message().equals(text)) {
            return true;
          }
        }
      } catch (AssertionError timeout2) {
        // nothing yet
      }
    }
    return false;
  }

  private static void register(String... names) throws IOException {
    ServerFixture.registerOn(nodeA.port(), names);
  }

  private FrameClient login(int port, String name) throws IOException {
    FrameClient c = ServerFixture.loginOn(port, name);
    clients.add(c);
    return c;
  }
}
