package imps.server.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import imps.server.AdminCliRunner;
import imps.server.ImpsServer;
import imps.server.ServerFixture;
import imps.server.config.ServerConfig;
import imps.testsupport.FrameClient;
import imps.testsupport.RedisTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The admin commands that ask the cluster (stats, sessions list, users show) on a node whose Redis
 * is down: they answer with what this node knows, and stats says the cluster was not reachable,
 * instead of failing (HTTP 500).
 */
class AdminRedisOutageIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode admin(ImpsServer node, String... words) throws Exception {
    AdminCliRunner.Result r =
        AdminCliRunner.run("http://127.0.0.1:" + node.adminPort(), node.config().dataDir(), words);
    assertThat(r.status()).as(r.err()).isZero();
    return JSON.readTree(r.out());
  }

  @Test
  void withoutRedisTheNodeAnswersForItself() throws Exception {
    Path data = Files.createTempDirectory("imps-admin-outage");
    try (RedisTestServer redis = RedisTestServer.start();
        ImpsServer node =
            ImpsServer.start(
                ServerFixture.testConfig(data)
                    .set(ServerConfig.Key.ADMIN_PORT, "0")
                    .set(ServerConfig.Key.CLUSTER, "redis")
                    .set(ServerConfig.Key.REDIS_URI, redis.uri())
                    .set(ServerConfig.Key.NODE_ID, "solo")
                    .set(ServerConfig.Key.NODE_TTL, "3s")
                    .build())) {
      String u = ServerFixture.uniqueName("aro");
      ServerFixture.registerOn(node.port(), u);
      try (FrameClient c = ServerFixture.loginOn(node.port(), u)) {
        assertThat(admin(node, "stats").get("clusterReachable").asBoolean()).isTrue();
        redis.stop();
        JsonNode stats = admin(node, "stats");
        assertThat(stats.get("clusterReachable").asBoolean()).isFalse();
        assertThat(stats.get("nodes").findValuesAsText("node")).containsExactly("solo");
        assertThat(stats.get("total").get("online").asLong()).isEqualTo(1);
        assertThat(admin(node, "sessions", "list").findValuesAsText("user")).containsExactly(u);
        assertThat(admin(node, "users", "show", u).get("online").asBoolean()).isTrue();

        redis.startAgain();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!admin(node, "stats").get("clusterReachable").asBoolean()) {
          assertThat(System.nanoTime()).as("reachable again").isLessThan(deadline);
          Thread.sleep(200);
        }
      }
    }
  }
}
