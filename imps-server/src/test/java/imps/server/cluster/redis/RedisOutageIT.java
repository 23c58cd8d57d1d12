package imps.server.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.CommandType;
import imps.protocol.Status;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.LoginResponse;
import imps.protocol.message.MessagePush;
import imps.protocol.message.RegisterRequest;
import imps.protocol.message.RegisterResponse;
import imps.protocol.message.SendMessage;
import imps.protocol.message.StatusNotifyPush;
import imps.server.ImpsServer;
import imps.server.ServerFixture;
import imps.server.config.ServerConfig;
import imps.server.store.PostgresTestDatabase;
import imps.testsupport.FrameClient;
import imps.testsupport.Services;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Redis stops answering for a few seconds (CLIENT PAUSE, longer than the command timeout and the
 * alive-key TTL): nodes keep serving their local users, and afterwards they work across nodes again
 * without a restart.
 */
class RedisOutageIT {
  private static final String REDIS_URI =
      "redis://" + Services.REDIS_HOST + ":" + Services.REDIS_PORT + "/8";

  private static PostgresTestDatabase db;
  private static ImpsServer nodeA;
  private static ImpsServer nodeB;
  private final List<FrameClient> clients = new ArrayList<>();

  @BeforeAll
  static void start() throws IOException {
    Services.requirePostgres();
    Services.requireRedis();
    redis(c -> c.sync().flushdb());
    db = PostgresTestDatabase.create();
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
    if (db != null) {
      db.close();
    }
  }

  @AfterEach
  void closeClients() throws IOException {
    for (FrameClient c : clients) {
      c.close();
    }
  }

  private static ServerConfig config(String nodeId) throws IOException {
    return ServerFixture.testConfig(Files.createTempDirectory("imps-node-" + nodeId))
        .set(ServerConfig.Key.STORE, "postgres")
        .set(ServerConfig.Key.POSTGRES_URL, db.url())
        .set(ServerConfig.Key.POSTGRES_POOL_SIZE, "4")
        .set(ServerConfig.Key.CLUSTER, "redis")
        .set(ServerConfig.Key.REDIS_URI, REDIS_URI)
        .set(ServerConfig.Key.NODE_ID, nodeId)
        .set(ServerConfig.Key.NODE_TTL, "3s")
        .set(ServerConfig.Key.WORKER_THREADS, "8")
        .build();
  }

  private interface RedisAction {
    void run(StatefulRedisConnection<String, String> c);
  }

  private static void redis(RedisAction action) {
    RedisClient client = RedisClient.create(REDIS_URI);
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      action.run(c);
    } finally {
      client.shutdown();
    }
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

    redis(c -> c.sync().clientPause(4000));
    long pausedAt = System.nanoTime();
    // Same node: served while Redis is away (a Redis look-up may time out first).
    cx.send(new SendMessage(x, y, "during the outage"));
    cx.expectError(0, CommandType.C_SEND_MSG);
    assertThat(cy.expect(MessagePush.class).message()).isEqualTo("during the outage");
    // To the other node: acknowledged (stored), delivered at the next login at the latest.
    cx.send(new SendMessage(x, z, "stored during the outage"));
    cx.expectError(0, CommandType.C_SEND_MSG);
    long left = 4500 - (System.nanoTime() - pausedAt) / 1_000_000;
    if (left > 0) {
      Thread.sleep(left);
    }

    // Recovered without a restart: pushes cross nodes again, presence too.
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    boolean crossed = false;
    int i = 0;
    while (!crossed && System.nanoTime() < deadline) {
      cx.send(new SendMessage(x, z, "after " + i));
      cx.expectError(0, CommandType.C_SEND_MSG);
      crossed = awaitMessage(cz, "after " + i);
      i++;
    }
    assertThat(crossed).as("a message crossed nodes after the outage").isTrue();
    cz.close();
    cx.awaitMatching(StatusNotifyPush.class, p -> p.userName().equals(z) && p.status() == 0);
    // What could not cross during the outage was kept: it comes with the next login.
    FrameClient cz2 = login(nodeA.port(), z);
    if (!seen.contains("stored during the outage")) {
      assertThat(cz2.expect(MessagePush.class).message()).isEqualTo("stored during the outage");
    }
    cx.awaitMatching(
        StatusNotifyPush.class, p -> p.userName().equals(z) && p.status() == Status.ONLINE);
    cz2.expectSilence(Duration.ofMillis(300));
  }

  private final List<String> seen = new ArrayList<>();

  private boolean awaitMessage(FrameClient c, String text) throws IOException {
    long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        Object o = c.next(Duration.ofMillis(200));
        if (o instanceof MessagePush p) {
          seen.add(p.message());
        }
        if (o instanceof MessagePush p && p.message().equals(text)) {
          return true;
        }
      } catch (AssertionError timeout) {
        // nothing yet
      }
    }
    return false;
  }

  private static void register(String... names) throws IOException {
    try (FrameClient c = FrameClient.connect(nodeA.port())) {
      for (String n : names) {
        c.send(new RegisterRequest(n, ServerFixture.PASSWORD, 0, n + "@example.org"));
        c.expect(new RegisterResponse(1));
      }
    }
  }

  private FrameClient login(int port, String name) throws IOException {
    FrameClient c = FrameClient.connect(port);
    clients.add(c);
    c.send(new LoginRequest(name, ServerFixture.PASSWORD));
    c.expect(LoginResponse.class);
    return c;
  }
}
