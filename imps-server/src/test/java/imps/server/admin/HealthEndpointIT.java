package imps.server.admin;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.CommandType;
import imps.protocol.message.FriendListRequest;
import imps.server.Backends;
import imps.server.ImpsServer;
import imps.server.ServerFixture;
import imps.server.config.ServerConfig;
import imps.server.store.DelegatingStore;
import imps.server.store.Store;
import imps.testsupport.FrameClient;
import imps.testsupport.RedisTestServer;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * GET /health tells operators whether a node is whole (a hung writer too), and reports a Redis
 * fault; GET /ready says whether to send it clients; a slow client cannot block either (L2).
 */
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

  private static HttpResponse<String> get(int port, String path)
      throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthAndReadinessAreExactPathsAndReadOnly() throws Exception {
    ServerConfig config =
        ServerFixture.testConfig(Files.createTempDirectory("imps-health"))
            .set(ServerConfig.Key.ADMIN_PORT, "0")
            .build();
    try (ServerFixture s = ServerFixture.start(config)) {
      int port = s.server().adminPort();
      HttpResponse<String> ready = get(port, "/ready");
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(ready.body()).contains("\"ready\":true").contains("\"state\":\"ready\"");
      assertThat(get(port, "/health").body()).contains("\"write\":true");
      assertThat(get(port, "/healthz").statusCode()).isEqualTo(404);
      assertThat(get(port, "/health/x").statusCode()).isEqualTo(404);
      HttpResponse<String> post =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                      .POST(HttpRequest.BodyPublishers.noBody())
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(post.statusCode()).isEqualTo(405);
    }
  }

  /** A writer that never commits (a full disk, a hung database) makes the node unhealthy. */
  @Test
  void aHungWriterIsReported() throws Exception {
    AtomicBoolean hung = new AtomicBoolean();
    ServerConfig config =
        ServerFixture.testConfig(Files.createTempDirectory("imps-health-hung"))
            .set(ServerConfig.Key.ADMIN_PORT, "0")
            .build();
    Store real = Backends.openStore(config, Clock.systemUTC());
    Store wrapped =
        new DelegatingStore(real) {
          @Override
          public CompletableFuture<Void> probeWrite() {
            return hung.get() ? new CompletableFuture<>() : real.probeWrite();
          }
        };
    try (ImpsServer server = ImpsServer.start(config, Clock.systemUTC(), wrapped)) {
      int port = server.adminPort();
      assertThat(get(port, "/health").statusCode()).isEqualTo(200);
      hung.set(true);
      HttpResponse<String> health = get(port, "/health");
      assertThat(health.statusCode()).isEqualTo(503);
      assertThat(health.body()).contains("\"status\":\"degraded\"").contains("\"write\":false");
      HttpResponse<String> ready = get(port, "/ready");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body()).contains("\"ready\":false").contains("\"store\":false");
      hung.set(false);
      assertThat(get(port, "/health").statusCode()).isEqualTo(200);
    }
  }

  /** While the server drains, /ready is 503 "draining" and /health still 200. */
  @Test
  void readinessIsWithdrawnWhileDraining() throws Exception {
    ServerConfig config =
        ServerFixture.testConfig(Files.createTempDirectory("imps-health-drain"))
            .set(ServerConfig.Key.ADMIN_PORT, "0")
            .build();
    ImpsServer server = ImpsServer.start(config);
    int port = server.adminPort();
    // A client that reads nothing keeps the drain waiting for its close (the linger). Answered
    // once first, so that the server has accepted it: a connection still in the kernel's backlog
    // when the drain starts is not drained but refused, and the drain would end at once.
    FrameClient idle = FrameClient.connect(server.port());
    idle.send(new FriendListRequest("nobody"));
    idle.expectError(5, CommandType.C_FRIENDLIST_REFURBISH_REQ);
    Thread closing = new Thread(server::close, "closing");
    try {
      closing.start();
      boolean sawDraining = false;
      while (!sawDraining && closing.isAlive()) {
        HttpResponse<String> ready;
        try {
          ready = get(port, "/ready");
        } catch (IOException adminClosed) {
          break;
        }
        if (ready.statusCode() == 503) {
          assertThat(ready.body()).contains("\"state\":\"draining\"");
          assertThat(get(port, "/health").statusCode()).isEqualTo(200);
          sawDraining = true;
        }
      }
      assertThat(sawDraining).isTrue();
    } finally {
      closing.join();
      idle.close();
    }
  }

  /**
   * Slow clients (slowloris: headers trickled a byte at a time) on every admin thread and more do
   * not stop a health check from being answered.
   */
  @Test
  void slowClientsDoNotBlockHealthChecks() throws Exception {
    ServerConfig config =
        ServerFixture.testConfig(Files.createTempDirectory("imps-health-slow"))
            .set(ServerConfig.Key.ADMIN_PORT, "0")
            .build();
    List<Socket> slow = new ArrayList<>();
    AtomicBoolean trickling = new AtomicBoolean(true);
    try (ServerFixture s = ServerFixture.start(config)) {
      int port = s.server().adminPort();
      for (int i = 0; i < 24; i++) {
        Socket c = new Socket("127.0.0.1", port);
        c.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n".getBytes(UTF_8));
        slow.add(c);
      }
      Thread trickle =
          new Thread(
              () -> {
                while (trickling.get()) {
                  for (Socket c : slow) {
                    try {
                      c.getOutputStream().write('X');
                    } catch (IOException closedByServer) {
                      // what the server should do with them
                    }
                  }
                  try {
                    Thread.sleep(500);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              });
      trickle.start();
      HttpResponse<String> r = get(port, "/health");
      assertThat(r.statusCode()).isEqualTo(200);
      trickling.set(false);
      trickle.join();
    } finally {
      for (Socket c : slow) {
        c.close();
      }
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

  /**
   * /ready is 503 while the node cannot reach the cluster's Redis (paused, then stopped), and 200
   * again once it can, without a restart; the node is READY all along, only not healthy.
   */
  @Test
  void readinessIsWithdrawnWhileRedisIsUnreachable() throws Exception {
    try (RedisTestServer redis = RedisTestServer.start();
        ImpsServer server = startClusterNode(redis)) {
      int port = server.adminPort();
      assertThat(get(port, "/ready").statusCode()).isEqualTo(200);
      redis.pause(Duration.ofSeconds(4));
      awaitReady(port, 503, "not ready while Redis was paused");
      awaitReady(port, 200, "ready again once Redis answered");
      redis.stop();
      awaitReady(port, 503, "not ready while Redis was down");
      redis.startAgain();
      awaitReady(port, 200, "ready again once Redis was back");
    }
  }

  /**
   * Polls /ready until it answers {@code status}: 503 with {@code "cluster":false}, or 200 with
   * {@code "ready":true}.
   */
  private static void awaitReady(int port, int status, String why) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    HttpResponse<String> r = get(port, "/ready");
    while (r.statusCode() != status && System.nanoTime() < deadline) {
      Thread.sleep(200);
      r = get(port, "/ready");
    }
    assertThat(r.statusCode()).as(why + ": " + r.body()).isEqualTo(status);
    if (status == 503) {
      assertThat(r.body())
          .contains("\"ready\":false")
          .contains("\"state\":\"ready\"")
          .contains("\"cluster\":false");
    } else {
      assertThat(r.body()).contains("\"ready\":true").contains("\"cluster\":true");
    }
  }

  /**
   * While the server starts (its admin port already open, the start not finished), /ready is 503
   * "starting" and /health 200; once started, /ready is 200. The start is held at its last step,
   * the line that names the store (Store.describe()).
   */
  @Test
  void notReadyWhileStarting() throws Exception {
    int adminPort;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      adminPort = free.getLocalPort();
    }
    ServerConfig config =
        ServerFixture.testConfig(Files.createTempDirectory("imps-health-starting"))
            .set(ServerConfig.Key.ADMIN_PORT, Integer.toString(adminPort))
            .build();
    Store real = Backends.openStore(config, Clock.systemUTC());
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    Store held =
        new DelegatingStore(real) {
          @Override
          public String describe() {
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return real.describe();
          }
        };
    CompletableFuture<ImpsServer> started =
        CompletableFuture.supplyAsync(() -> ImpsServer.start(config, Clock.systemUTC(), held));
    try {
      HttpResponse<String> ready = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (ready == null && System.nanoTime() < deadline) {
        try {
          ready = get(adminPort, "/ready");
        } catch (IOException notOpenYet) {
          Thread.sleep(50);
        }
      }
      assertThat(ready).as("the admin port opened").isNotNull();
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body()).contains("\"ready\":false").contains("\"state\":\"starting\"");
      assertThat(get(adminPort, "/health").statusCode()).isEqualTo(200);
      assertThat(started).isNotDone();
    } finally {
      release.countDown();
    }
    try (ImpsServer server = started.get(30, java.util.concurrent.TimeUnit.SECONDS)) {
      HttpResponse<String> ready = get(adminPort, "/ready");
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(ready.body()).contains("\"state\":\"ready\"");
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
