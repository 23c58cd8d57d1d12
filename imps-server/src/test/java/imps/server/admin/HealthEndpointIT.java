package imps.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import imps.server.ImpsServer;
import imps.server.ServerFixture;
import imps.server.config.ServerConfig;
import imps.testsupport.Services;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
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
    Services.requireRedis();
    ServerConfig config =
        ServerFixture.testConfig(Files.createTempDirectory("imps-health-redis"))
            .set(ServerConfig.Key.ADMIN_PORT, "0")
            .set(ServerConfig.Key.CLUSTER, "redis")
            .set(ServerConfig.Key.REDIS_URI, "redis://127.0.0.1:6379/7")
            .set(ServerConfig.Key.NODE_TTL, "3s")
            .build();
    try (ImpsServer server = ImpsServer.start(config)) {
      int port = server.adminPort();
      assertThat(get(port).statusCode()).isEqualTo(200);
      RedisClient client = RedisClient.create("redis://127.0.0.1:6379");
      try (StatefulRedisConnection<String, String> c = client.connect()) {
        c.sync().clientPause(4000);
      } finally {
        client.shutdown();
      }
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
      assertThat(sawDegraded).as("fault reported while Redis was paused").isTrue();
      deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      int status = 0;
      while (status != 200 && System.nanoTime() < deadline) {
        Thread.sleep(250);
        status = get(port).statusCode();
      }
      assertThat(status).as("recovered without a restart").isEqualTo(200);
    }
  }
}
