package imps.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import imps.protocol.CommandType;
import imps.protocol.message.SendMessage;
import imps.server.admin.AdminToken;
import imps.testsupport.FrameClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reload from an edited config file, as an operator does it (OPERATIONS.md, Reload): a server
 * process started with {@code --config FILE}; the file is edited, then SIGHUP or {@code ./imps
 * admin reload} applies the live settings ({@code limit.*}, {@code log.level}) to the connections
 * already open and names the others as needing a restart. An invalid file is refused (HTTP 400, a
 * clear message; the SIGHUP says so in the log) and changes nothing.
 */
class ConfigReloadIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern RELOADED = Pattern.compile("configuration reloaded; (.*)");
  private static final Pattern REFUSED = Pattern.compile("imps: reload refused: (.*)");
  // ActivityLog's line for each connection, logged at DEBUG only.
  private static final Pattern DEBUG_CONNECTION =
      Pattern.compile("connection from 127\\.0\\.0\\.1");

  @TempDir Path data;
  @TempDir Path etc;

  private static void write(Path file, String... lines) throws Exception {
    Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
  }

  private static void sendOk(FrameClient c, String from, String to, String text) throws Exception {
    c.send(new SendMessage(from, to, text));
    c.expectError(0, CommandType.C_SEND_MSG);
  }

  private static void sendRefused(FrameClient c, String from, String to) throws Exception {
    c.send(new SendMessage(from, to, "over the limit"));
    c.expectError(10, CommandType.C_SEND_MSG);
  }

  /** Opens and closes a connection; whether the server logged it (at DEBUG) within 2 s. */
  private static boolean connectionLogged(ServerProcess p) throws Exception {
    long before = p.countOutput(DEBUG_CONNECTION);
    try (FrameClient c = FrameClient.connect(p.port())) {
      c.expectSilence(Duration.ofMillis(100));
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
    while (System.nanoTime() < deadline) {
      if (p.countOutput(DEBUG_CONNECTION) > before) {
        return true;
      }
      Thread.sleep(50);
    }
    return false;
  }

  private HttpResponse<String> postReload(int adminPort) throws Exception {
    String token = AdminToken.read(data.resolve(AdminToken.FILE));
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/api/reload"))
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void editedFileIsAppliedLiveBySighupAndAdminReloadAndAnInvalidOneChangesNothing()
      throws Exception {
    Path conf = etc.resolve("imps.properties");
    write(conf, "admin.port = 0", "limit.messages = 2/1h", "max-friends = 100");
    ServerProcess p = ServerProcess.start(data, conf, List.of());
    try {
      int admin = p.adminPort();
      String a = ServerFixture.uniqueName("cra");
      String b = ServerFixture.uniqueName("crb");
      ServerFixture.registerOn(p.port(), a, b);
      try (FrameClient ca = ServerFixture.loginOn(p.port(), a);
          FrameClient cb = ServerFixture.loginOn(p.port(), b)) {
        ServerFixture.befriend(ca, a, cb, b);
        sendOk(ca, a, b, "m1");
        sendOk(ca, a, b, "m2");
        sendRefused(ca, a, b);
        assertThat(connectionLogged(p)).as("INFO: connections not logged").isFalse();

        // 1. The file edited, then SIGHUP: the limit and the level change on the open connections.
        write(
            conf,
            "admin.port = 0",
            "limit.messages = 50/1h",
            "log.level = debug",
            "max-friends = 7");
        p.hangup();
        String line = p.awaitOutput(RELOADED, Duration.ofSeconds(10)).group(1);
        assertThat(line)
            .contains("setting=limit.messages")
            .contains("setting=log.level")
            .endsWith("needing a restart: [max-friends]");
        sendOk(ca, a, b, "after the hangup");
        assertThat(connectionLogged(p)).as("DEBUG after the reload").isTrue();

        // 2. An invalid file: refused with a message naming the setting, nothing applied (the
        // level stays debug though the file empties it; the limit stays 50/1h).
        write(conf, "admin.port = 0", "limit.messages = lots", "max-friends = 7");
        HttpResponse<String> refused = postReload(admin);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.headers().firstValue("Content-Type"))
            .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        String error = JSON.readTree(refused.body()).get("error").asText();
        assertThat(error).startsWith("invalid configuration: ").contains("limit.messages");
        AdminCliRunner.Result cliRefused =
            AdminCliRunner.run("http://127.0.0.1:" + admin, data, "reload");
        assertThat(cliRefused.status()).isEqualTo(1);
        assertThat(cliRefused.err()).contains("invalid configuration").contains("limit.messages");
        p.hangup();
        assertThat(p.awaitOutput(REFUSED, Duration.ofSeconds(10)).group(1))
            .contains("limit.messages");
        assertThat(p.countOutput(RELOADED)).as("no reload applied").isEqualTo(1);
        sendOk(ca, a, b, "still under 50/1h");
        assertThat(connectionLogged(p)).as("still DEBUG").isTrue();

        // 3. Fixed, and reloaded with ./imps admin reload: a tight limit again, the level back.
        write(conf, "admin.port = 0", "limit.messages = 1/1h", "max-friends = 7");
        AdminCliRunner.Result ok = AdminCliRunner.run("http://127.0.0.1:" + admin, data, "reload");
        assertThat(ok.status()).as(ok.err()).isZero();
        JsonNode answer = JSON.readTree(ok.out());
        assertThat(answer.get("applied").findValuesAsText("setting"))
            .containsExactlyInAnyOrder("limit.messages", "log.level");
        JsonNode limit = null;
        for (JsonNode change : answer.get("applied")) {
          if (change.get("setting").asText().equals("limit.messages")) {
            limit = change;
          }
        }
        assertThat(limit.get("from").asText()).isEqualTo("50/1h");
        assertThat(limit.get("to").asText()).isEqualTo("1/1h");
        assertThat(answer.get("needsRestart"))
            .extracting(JsonNode::asText)
            .containsExactly("max-friends");
        // A changed rate starts with a full bucket at the new rate: one, then error 10.
        sendOk(ca, a, b, "one under 1/1h");
        sendRefused(ca, a, b);
        assertThat(connectionLogged(p)).as("back to INFO").isFalse();
      }
    } finally {
      p.terminate();
      assertThat(p.exitStatus(Duration.ofSeconds(60))).isZero();
    }
  }
}
