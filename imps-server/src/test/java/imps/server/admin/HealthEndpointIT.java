package imps.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import imps.server.ImpsServer;
import imps.server.ServerFixture;
import imps.server.config.ServerConfig;
import imps.testsupport.RedisTestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** GET /health tells operators whether a node is whole, and reports a Redis fault. */
class HealthEndpointIT {
  private static HttpResponse<String> get(int port) throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void offByDefault() throws IOException {
    try (ServerFixture s = ServerFixture.start()) {
      assertThat(s.server().adminPort()).isEqualTo(-1);
    }
  }

  @Test
  void healthyNodeAnswers200() throws Exception {
    ServerConfig config =
        ServerFixture.testConfig(Files.createTempDirectory("imps-health"))
            .set(ServerConfig.Key.ADMIN_PORT, "0")
            .build();
    try (ServerFixture s = ServerFixture.start(config)) {
      s.connect();
      HttpResponse<String> r = get(s.server().adminPort());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body())
          .contains("\"status\":\"ok\"")
          .contains("\"store\":true")
          .contains("\"cluster\":true");
    }
  }

  @Test
  void redisOutageIsReportedAndClears() throws Exception {
    try (RedisTestServer redis = RedisTestServer.start();
        ImpsServer server = startClusterNode(redis)) {
      int port = server.adminPort();
      assertThat(get(port).statusCode()).isEqualTo(200);
      redis.pause(Duration.ofSeconds(4));
      awaitDegraded(port, "fault reported while Redis was paused");
      awaitHealthy(port);
    }
  }

  @Test
  void redisRestartIsReportedAndClears() throws Exception {
    try (RedisTestServer redis = RedisTestServer.start();
        ImpsServer server = startClusterNode(redis)) {
      int port = server.adminPort();
      assertThat(get(port).statusCode()).isEqualTo(200);
      redis.stop();
      awaitDegraded(port, "fault reported while Redis was down");
      redis.startAgain();
      awaitHealthy(port);
    }
  }

  private static ImpsServer startClusterNode(RedisTestServer redis) throws IOException {
    return ImpsServer.start(
        ServerFixture.testConfig(Files.createTempDirectory("imps-health-redis"))
            .set(ServerConfig.Key.ADMIN_PORT, "0")
            .set(ServerConfig.Key.CLUSTER, "redis")
            .set(ServerConfig.Key.REDIS_URI, redis.uri())
            .set(ServerConfig.Key.NODE_TTL, "3s")
            .build());
  }

  private static void awaitDegraded(int port, String why) throws Exception {
    boolean sawDegraded = false;
    long deadline = System.nanoTime() + Duration.ofSeconds(8).toNanos();
    while (!sawDegraded && System.nanoTime() < deadline) {
      HttpResponse<String> r = get(port);
      if (r.statusCode() == 503) {
        assertThat(r.body()).contains("\"status\":\"degraded\"").contains("\"cluster\":false");
        sawDegraded = true;
      } else {
        Thread.sleep(200);
      }
    }
    assertThat(sawDegraded).as(why).isTrue();
  }

  private static void awaitHealthy(int port) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    int status = 0;
    while (status != 200 && System.nanoTime() < deadline) {
      Thread.sleep(250);
      status = get(port).statusCode();
    }
    assertThat(status).as("recovered without a restart").isEqualTo(200);
  }
}
