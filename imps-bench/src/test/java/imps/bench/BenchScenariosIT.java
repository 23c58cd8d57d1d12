package imps.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import imps.server.ImpsServerExtension;
import imps.server.config.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A smoke run of every scenario against a real server on port 0, with small numbers, so that the
 * tool cannot rot. Not a benchmark: nothing here is timed; it checks that runs complete and count
 * right (no loss, no duplicates, counts match).
 */
class BenchScenariosIT {
  @TempDir static Path tmp;

  /** The server's live-location interval: short, so that live-locations runs in seconds. */
  static final Duration LIVE_INTERVAL = Duration.ofMillis(400);

  @RegisterExtension
  static final ImpsServerExtension server =
      ImpsServerExtension.withSettings(
          b -> b.with(ServerConfig.Key.LOCATION_LIVE_INTERVAL, LIVE_INTERVAL));

  private static JsonNode run(String name, String... args) throws Exception {
    Path out = tmp.resolve(name + ".json");
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--port",
            Integer.toString(server.port()),
            "--server-pid",
            Long.toString(ProcessHandle.current().pid()),
            "--no-progress",
            "--quiet",
            "--out",
            out.toString()));
    int code = BenchMain.execute(all.toArray(String[]::new));
    JsonNode json = ResultWriter.JSON.readTree(out.toFile());
    assertThat(code).as("exit code of %s, result %s", name, json).isZero();
    return json.path("metrics");
  }

  /** The settings of the run {@code name} made. */
  private static JsonNode settings(String name) throws Exception {
    return ResultWriter.JSON.readTree(tmp.resolve(name + ".json").toFile()).path("settings");
  }

  @Test
  void chat() throws Exception {
    JsonNode m = run("chat", "chat", "-u", "4", "-r", "50", "-d", "2");
    assertThat(m.path("scheduled").asLong()).isEqualTo(100);
    assertThat(m.path("sent").asLong()).isEqualTo(100);
    assertThat(m.path("acked").asLong()).isEqualTo(100);
    assertThat(m.path("received").asLong()).isEqualTo(100);
    assertThat(m.path("lost").asLong()).isZero();
    assertThat(m.path("duplicated").asLong()).isZero();
    assertThat(m.path("reordered").asLong()).isZero();
    assertThat(m.path("ack_errors").asLong()).isZero();
    assertThat(m.path("client_anomalies").asLong()).isZero();
    assertThat(m.path("e2e_p50_ms").asDouble()).isPositive();
    assertThat(m.path("e2e_max_ms").asDouble())
        .isGreaterThanOrEqualTo(m.path("e2e_p99_ms").asDouble());
    assertThat(m.path("bench_cpu_pct").asDouble()).isPositive();
    // The server runs in this process: its CPU per message is there, if inflated by the bench's.
    assertThat(m.path("server_cpu_us_per_msg").asDouble()).isPositive();
  }

  /**
   * --warm-up sends at the same rate first and leaves it out of every figure: the counts are the
   * measured window's only, and the warm-up is recorded as a setting.
   */
  @Test
  void chatWithAWarmUp() throws Exception {
    JsonNode m = run("chat-warm", "chat", "-u", "4", "-r", "50", "-d", "2", "--warm-up", "1");
    assertThat(m.path("scheduled").asLong()).isEqualTo(100);
    assertThat(m.path("sent").asLong()).isEqualTo(100);
    assertThat(m.path("received").asLong()).isEqualTo(100);
    assertThat(m.path("lost").asLong()).isZero();
    assertThat(m.path("duplicated").asLong()).isZero();
    assertThat(m.path("stale_from_earlier_runs").asLong()).isZero();
    assertThat(m.path("server_cpu_us_per_msg").asDouble()).isPositive();
    assertThat(settings("chat-warm").path("warm_up_s").asDouble()).isEqualTo(1.0);
  }

  @Test
  void chatWithAcks() throws Exception {
    JsonNode m = run("chat-acks", "chat", "-u", "4", "-r", "50", "-d", "2", "--acks");
    assertThat(m.path("sent").asLong()).isEqualTo(100);
    assertThat(m.path("acked").asLong()).isEqualTo(100);
    assertThat(m.path("received").asLong()).isEqualTo(100);
    assertThat(m.path("lost").asLong()).isZero();
    assertThat(m.path("duplicated").asLong()).isZero();
    assertThat(m.path("reordered").asLong()).isZero();
    assertThat(m.path("ack_errors").asLong()).isZero();
    assertThat(m.path("client_anomalies").asLong()).isZero();
    // The recipients acknowledged, so the senders got delivery receipts.
    assertThat(m.path("receipts").asLong()).isPositive();
  }

  @Test
  void chatWithAcksWithoutReceipts() throws Exception {
    JsonNode m =
        run("chat-acks-nr", "chat", "-u", "4", "-r", "50", "-d", "2", "--acks", "--no-receipts");
    assertThat(m.path("acked").asLong()).isEqualTo(100);
    assertThat(m.path("received").asLong()).isEqualTo(100);
    assertThat(m.path("lost").asLong()).isZero();
    assertThat(m.path("duplicated").asLong()).isZero();
    assertThat(m.path("client_anomalies").asLong()).isZero();
    // Acknowledged, but nobody asked for receipts.
    assertThat(m.path("receipts").asLong()).isZero();
    assertThat(settings("chat-acks-nr").path("receipts").asInt()).isZero();
  }

  @Test
  void chatReusingUsersTwiceAndComparing() throws Exception {
    JsonNode first =
        run("chat-reuse-1", "chat", "-u", "4", "-r", "40", "-d", "1", "--user-prefix", "reuse_");
    assertThat(first.path("setup_users_registered").asLong()).isEqualTo(4);
    Path old = tmp.resolve("chat-reuse-1.json");
    JsonNode second =
        run(
            "chat-reuse-2",
            "chat",
            "-u",
            "4",
            "-r",
            "40",
            "-d",
            "1",
            "--user-prefix",
            "reuse_",
            "--compare",
            old.toString());
    assertThat(second.path("setup_users_existing").asLong()).isEqualTo(4);
    assertThat(second.path("received").asLong()).isEqualTo(40);
    assertThat(second.path("lost").asLong()).isZero();
  }

  @Test
  void chatMax() throws Exception {
    JsonNode m =
        run(
            "chat-max",
            "chat",
            "--max",
            "-u",
            "4",
            "--max-start",
            "25",
            "--max-ceiling",
            "50",
            "--trial-duration",
            "1",
            "--max-trials",
            "2");
    assertThat(m.path("trials").asLong()).isBetween(1L, 2L);
    assertThat(m.path("max_rate_per_s").asDouble()).isGreaterThanOrEqualTo(25);
    assertThat(m.path("at_max_lost").asLong()).isZero();
    // Each trial's row tells how many of its seconds had a message over 50 ms.
    JsonNode trials =
        ResultWriter.JSON.readTree(tmp.resolve("chat-max.json").toFile()).path("trials");
    assertThat(trials.size()).isPositive();
    assertThat(trials.get(0).has("e2e_slow_seconds")).isTrue();
  }

  @Test
  void connections() throws Exception {
    JsonNode m = run("connections", "connections", "-c", "20", "-d", "2", "--heartbeat", "1");
    assertThat(m.path("logged_in").asLong()).isEqualTo(20);
    assertThat(m.path("held").asLong()).isEqualTo(20);
    assertThat(m.path("login_failures").asLong()).isZero();
    assertThat(m.path("heartbeats_ok").asLong()).isGreaterThanOrEqualTo(20);
    assertThat(m.path("heartbeat_errors").asLong()).isZero();
    assertThat(m.path("server_rss_mib").asDouble()).isPositive();
  }

  @Test
  void loginStorm() throws Exception {
    JsonNode m = run("login-storm", "login-storm", "-u", "20", "--inflight", "5");
    assertThat(m.path("logged_in").asLong()).isEqualTo(20);
    assertThat(m.path("failed").asLong()).isZero();
    assertThat(m.path("logins_per_s").asDouble()).isPositive();
    assertThat(m.path("login_p99_ms").asDouble())
        .isGreaterThanOrEqualTo(m.path("login_p50_ms").asDouble());
  }

  @Test
  void offlineBacklog() throws Exception {
    JsonNode m = run("offline-backlog", "offline-backlog", "-n", "200");
    assertThat(m.path("stored").asLong()).isEqualTo(200);
    assertThat(m.path("received").asLong()).isEqualTo(200);
    assertThat(m.path("lost").asLong()).isZero();
    assertThat(m.path("duplicated").asLong()).isZero();
    assertThat(m.path("reordered").asLong()).isZero();
    assertThat(m.path("backlog_ms").asDouble()).isPositive();
  }

  @Test
  void history() throws Exception {
    JsonNode m = run("history", "history", "-n", "300", "--pages", "4", "--page-size", "100");
    assertThat(m.path("stored").asLong()).isEqualTo(300);
    assertThat(m.path("pages").asLong()).isEqualTo(4);
    // 100, 100, 100, then from the newest again.
    assertThat(m.path("entries_per_page").asDouble()).isEqualTo(100.0);
    assertThat(m.path("page_p50_ms").asDouble()).isPositive();
    assertThat(m.path("client_anomalies").asLong()).isZero();
  }

  @Test
  void presence() throws Exception {
    JsonNode m = run("presence", "presence", "-u", "8", "-f", "3", "-r", "20", "-d", "2");
    assertThat(m.path("changes_acked").asLong()).isEqualTo(40);
    assertThat(m.path("notifications_expected").asLong()).isEqualTo(120);
    assertThat(m.path("notifications").asLong()).isEqualTo(120);
    assertThat(m.path("lost").asLong()).isZero();
    assertThat(m.path("unexpected").asLong()).isZero();
  }

  @Test
  void liveLocations() throws Exception {
    // 8 users in cliques of 4 (3 friends each), a fix every 0.5 s for 2 s: 4 fixes each, every
    // one pushed to 3 friends (the interval is above the server's 0.4 s).
    JsonNode m =
        run(
            "live-locations",
            "live-locations",
            "-u",
            "8",
            "-f",
            "3",
            "--interval",
            "0.5",
            "-d",
            "2",
            "--live-interval",
            "0.4",
            "--drain-timeout",
            "5");
    assertThat(m.path("heartbeats_sent").asLong()).isEqualTo(32);
    assertThat(m.path("heartbeats_acked").asLong()).isEqualTo(32);
    assertThat(m.path("heartbeat_errors").asLong()).isZero();
    assertThat(m.path("pushes_expected").asLong()).isEqualTo(96);
    assertThat(m.path("pushes").asLong()).isEqualTo(96);
    assertThat(m.path("lost").asLong()).isZero();
    assertThat(m.path("unexpected").asLong()).isZero();
    assertThat(m.path("last_fix_missing").asLong()).isZero();
    assertThat(m.path("client_anomalies").asLong()).isZero();
    assertThat(m.path("push_late_p50_ms").asDouble()).isPositive();
    assertThat(m.path("push_late_max_ms").asDouble())
        .isGreaterThanOrEqualTo(m.path("push_late_p99_ms").asDouble());
    assertThat(m.path("server_cpu_pct").asDouble()).isPositive();
  }

  @Test
  void liveLocationsCoalescesFixesFasterThanTheServerPushes() throws Exception {
    // A fix every 0.1 s against the server's 0.4 s: held back and replaced, but the last fix of
    // every user still reaches every friend, and nothing comes twice or out of order.
    JsonNode m =
        run(
            "live-locations-coalesced",
            "live-locations",
            "-u",
            "4",
            "-f",
            "1",
            "--interval",
            "0.1",
            "-d",
            "1",
            "--live-interval",
            "0.4",
            "--drain-timeout",
            "5");
    assertThat(m.path("heartbeats_acked").asLong()).isEqualTo(40);
    assertThat(m.path("last_fix_missing").asLong()).isZero();
    assertThat(m.path("unexpected").asLong()).isZero();
    assertThat(m.path("pushes").asLong()).isBetween(4L * 2, 4L * 5);
    assertThat(m.path("pushes").asLong()).isLessThan(40);
  }

  @Test
  void refusesANonLoopbackHost() {
    int code =
        BenchMain.execute(
            "chat",
            "--host",
            "192.0.2.1",
            "--no-progress",
            "--out",
            tmp.resolve("refused.json").toString());
    assertThat(code).isEqualTo(2);
  }
}
