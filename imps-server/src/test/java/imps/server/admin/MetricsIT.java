package imps.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import imps.protocol.CommandType;
import imps.protocol.message.AudioPush;
import imps.protocol.message.AudioRequest;
import imps.protocol.message.ClipBytes;
import imps.protocol.message.FriendListRequest;
import imps.protocol.message.FriendListResponse;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.MessagePush;
import imps.protocol.message.SendMessage;
import imps.server.ImpsServer;
import imps.server.LoggedInFriends;
import imps.server.ServerFixture;
import imps.server.config.ServerConfig;
import imps.server.store.PostgresTestDatabase;
import imps.testsupport.FrameClient;
import imps.testsupport.RedisTestServer;
import imps.testsupport.Services;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * GET /metrics: Prometheus text that a strict parser accepts, with the server's own meters counting
 * what happened, the JVM's and the process's, and no user name in any label.
 */
class MetricsIT {
  @RegisterExtension static final PostgresTestDatabase db = PostgresTestDatabase.perClass();
  @RegisterExtension static final RedisTestServer redis = RedisTestServer.perClass();

  @Test
  void metricsAreStrictPrometheusTextAndCount() throws Exception {
    ServerConfig config =
        ServerFixture.testConfig(Files.createTempDirectory("imps-metrics"))
            .set(ServerConfig.Key.ADMIN_PORT, "0")
            .set(ServerConfig.Key.LIMIT_FRIEND_LISTS, "1/1h")
            // One failed login delays the account's next attempt by a minute: error 10.
            .set(ServerConfig.Key.LOGIN_FAILURES_PER_USER, "1")
            .set(ServerConfig.Key.LOGIN_DELAY, "1m")
            .build();
    try (ServerFixture s = ServerFixture.start(config)) {
      LoggedInFriends f = s.friends("metra", "metrb");
      f.ca().send(new AudioRequest(f.b(), ClipBytes.copyOf(new byte[] {1, 2, 3}), ""));
      f.ca().expectError(0, CommandType.C_AUDIO_REQ);
      f.cb().awaitMatching(AudioPush.class, p -> p.friendName().equals(f.a()));
      String guessed = ServerFixture.uniqueName("metrc");
      s.register(guessed);
      try (FrameClient c = s.connect()) {
        c.send(new LoginRequest(guessed, "wrong-password"));
        c.expectError(6, CommandType.C_LOGIN_REQ);
        c.send(new LoginRequest(guessed, ServerFixture.PASSWORD));
        c.expectError(10, CommandType.C_LOGIN_REQ);
      }
      f.ca().send(new SendMessage(f.a(), f.b(), "hello"));
      f.ca().expectError(0, CommandType.C_SEND_MSG);
      f.cb().awaitMatching(MessagePush.class, p -> p.message().equals("hello"));
      f.ca().send(new SendMessage(f.a(), "nosuchuser", "hello"));
      f.ca().expectError(2, CommandType.C_SEND_MSG);
      f.cb().send(new FriendListRequest(f.b()));
      f.cb().expect(FriendListResponse.class);
      f.cb().send(new FriendListRequest(f.b()));
      f.cb().expectError(10, CommandType.C_FRIENDLIST_REFURBISH_REQ);

      PrometheusText m = scrape(s.server());

      assertThat(m.types).containsEntry("imps_logins_total", "counter");
      assertThat(m.types).containsEntry("imps_store_commit_seconds", "histogram");
      assertThat(m.value("imps_logins_total", Map.of("result", "ok"))).isGreaterThanOrEqualTo(2);
      assertThat(m.value("imps_messages_received_total", Map.of("kind", "text")))
          .isGreaterThanOrEqualTo(2);
      assertThat(m.value("imps_messages_stored_total", Map.of("kind", "text")))
          .isGreaterThanOrEqualTo(1);
      assertThat(
              m.value(
                  "imps_messages_refused_total", Map.of("kind", "text", "reason", "no_such_user")))
          .isGreaterThanOrEqualTo(1);
      assertThat(m.value("imps_connections", Map.of("transport", "tcp"))).isEqualTo(2);
      assertThat(m.value("imps_connections", Map.of("transport", "websocket"))).isZero();
      assertThat(m.value("imps_sessions", Map.of())).isEqualTo(2);
      assertThat(m.value("imps_store_commit_seconds_count", Map.of())).isPositive();
      assertThat(m.types).containsEntry("imps_network_received_bytes_total", "counter");
      assertThat(m.value("imps_network_received_bytes_total", Map.of())).isPositive();
      assertThat(m.value("imps_network_sent_bytes_total", Map.of())).isPositive();
      assertThat(m.types).containsEntry("imps_output_buffered_bytes", "gauge");
      assertThat(m.value("imps_output_buffered_bytes", Map.of())).isNotNegative();
      assertThat(m.value("imps_limit_hits_total", Map.of("limit", "friend_lists")))
          .isGreaterThanOrEqualTo(1);
      assertThat(m.value("imps_messages_delivered_total", Map.of("kind", "text")))
          .isGreaterThanOrEqualTo(1);
      for (String stage : List.of("received", "stored", "delivered")) {
        assertThat(m.value("imps_messages_" + stage + "_total", Map.of("kind", "clip")))
            .as("clips %s", stage)
            .isGreaterThanOrEqualTo(1);
      }
      assertThat(m.value("imps_logins_total", Map.of("result", "bad_credentials")))
          .isGreaterThanOrEqualTo(1);
      assertThat(m.value("imps_logins_total", Map.of("result", "throttled")))
          .isGreaterThanOrEqualTo(1);
      assertThat(m.types).containsEntry("imps_worker_queue_tasks", "gauge");
      assertThat(m.value("imps_worker_queue_tasks", Map.of())).isNotNegative();
      // Prometheus naming: every counter family of the server's own ends in _total, and only
      // counters do.
      m.types.forEach(
          (family, type) -> {
            if (family.startsWith("imps_")) {
              assertThat(family.endsWith("_total"))
                  .as("%s is a %s", family, type)
                  .isEqualTo(type.equals("counter"));
            }
          });
      assertThat(m.types)
          .containsKeys(
              "jvm_memory_used_bytes",
              "jvm_classes_loaded_classes",
              "process_cpu_usage",
              "process_uptime_seconds",
              "jvm_threads_live_threads");
      // The example dashboard is a Grafana dashboard: JSON with panels that query series.
      JsonNode dashboard =
          new ObjectMapper().readTree(Files.readString(monitoringDoc("grafana-dashboard.json")));
      assertThat(dashboard.path("title").asText()).isNotBlank();
      assertThat(dashboard.path("panels").isArray()).isTrue();
      assertThat(dashboard.path("panels")).isNotEmpty();
      for (JsonNode panel : dashboard.path("panels")) {
        assertThat(panel.path("targets").findValuesAsText("expr"))
            .as("queries of panel %s", panel.path("title"))
            .isNotEmpty();
      }
      // Every imps_* series the example dashboard and alert rules use exists.
      for (String doc : List.of("grafana-dashboard.json", "alerts.yml")) {
        Matcher used =
            Pattern.compile("imps_[a-z_]+").matcher(Files.readString(monitoringDoc(doc)));
        while (used.find()) {
          String name = used.group();
          assertThat(m.samples.stream().anyMatch(x -> x.name().equals(name)))
              .as("%s in docs/monitoring/%s", name, doc)
              .isTrue();
        }
      }
      for (PrometheusText.Sample sample : m.samples) {
        assertThat(sample.labels().values())
            .as("no user names in labels")
            .noneMatch(v -> v.contains(f.a()) || v.contains(f.b()));
      }
    }
  }

  /** Redis stream lag: a message between two nodes waits in the recipient node's stream. */
  @Test
  void clusterStreamLagIsMeasured() throws Exception {
    Services.requirePostgres();
    ImpsServer a = ImpsServer.start(clusterNode("ma").build());
    try (ImpsServer b = ImpsServer.start(clusterNode("mb").build())) {
      String x = ServerFixture.uniqueName("mlx");
      String y = ServerFixture.uniqueName("mly");
      ServerFixture.registerOn(a.port(), x, y);
      try (FrameClient cx = ServerFixture.loginOn(a.port(), x);
          FrameClient cy = ServerFixture.loginOn(b.port(), y)) {
        ServerFixture.befriend(cx, x, cy, y);
        cx.send(new SendMessage(x, y, "across"));
        cx.expectError(0, CommandType.C_SEND_MSG);
        cy.awaitMatching(MessagePush.class, p -> p.message().equals("across"));
      }
      PrometheusText m = scrape(b);
      assertThat(m.types).containsEntry("imps_cluster_stream_lag_seconds", "summary");
      assertThat(m.value("imps_cluster_stream_lag_seconds_count", Map.of())).isPositive();
      assertThat(m.value("imps_cluster_stream_lag_seconds_sum", Map.of())).isNotNegative();
    } finally {
      a.close();
    }
  }

  private static ServerConfig.Builder clusterNode(String nodeId) throws IOException {
    return ServerFixture.testConfig(Files.createTempDirectory("imps-metrics-" + nodeId))
        .set(ServerConfig.Key.ADMIN_PORT, "0")
        .set(ServerConfig.Key.STORE, "postgres")
        .set(ServerConfig.Key.POSTGRES_URL, db.url())
        .set(ServerConfig.Key.POSTGRES_POOL_SIZE, "4")
        .set(ServerConfig.Key.CLUSTER, "redis")
        .set(ServerConfig.Key.REDIS_URI, redis.uri())
        .set(ServerConfig.Key.NODE_ID, nodeId)
        .set(ServerConfig.Key.WORKER_THREADS, "8");
  }

  private static PrometheusText scrape(ImpsServer server) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.adminPort() + "/metrics"))
                    .timeout(Duration.ofSeconds(30))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
    return PrometheusText.parse(r.body());
  }

  private static Path monitoringDoc(String name) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path doc = dir.resolve("docs/monitoring").resolve(name);
      if (Files.isRegularFile(doc)) {
        return doc;
      }
    }
    throw new IllegalStateException("docs/monitoring/" + name + " not found");
  }

  @Test
  void theParserIsStrict() {
    assertThatThrownBy(() -> PrometheusText.parse("x 1\n")).hasMessageContaining("TYPE");
    assertThatThrownBy(() -> PrometheusText.parse("# TYPE x gauge\nx{a=\"b} 1\n"))
        .isInstanceOf(RuntimeException.class);
    assertThatThrownBy(() -> PrometheusText.parse("# TYPE x gauge\nx 1\nx 2\n"))
        .hasMessageContaining("duplicate");
    assertThatThrownBy(
            () -> PrometheusText.parse("# TYPE x gauge\nx 1\n# TYPE y gauge\ny 1\nx{a=\"1\"} 2\n"))
        .hasMessageContaining("split");
    assertThatThrownBy(
            () ->
                PrometheusText.parse(
                    "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1\n"))
        .hasMessageContaining("cumulative");
    assertThatThrownBy(() -> PrometheusText.parse("# TYPE x gauge\nx one\n"))
        .hasMessageContaining("value");
  }
}
