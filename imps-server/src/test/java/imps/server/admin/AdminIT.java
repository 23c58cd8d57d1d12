package imps.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import imps.protocol.CommandType;
import imps.protocol.ErrorCode;
import imps.protocol.Feature;
import imps.protocol.Presence;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.FriendListRequest;
import imps.protocol.message.FriendListResponse;
import imps.protocol.message.FriendRemoved;
import imps.protocol.message.Hello;
import imps.protocol.message.HelloResponse;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.LoginResponse;
import imps.protocol.message.MessagePush;
import imps.protocol.message.Notice;
import imps.protocol.message.SendMessage;
import imps.server.AdminCliRunner;
import imps.server.LoggedInFriends;
import imps.server.ServerFixture;
import imps.server.config.ServerConfig;
import imps.testsupport.FrameClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin commands through both faces, the HTTP API and {@code ./imps admin}, against a real
 * server: each command is run through one face and its effect checked over the protocol or the
 * other face.
 */
class AdminIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path data;
  @TempDir Path backups;

  private ServerFixture server;
  private String base;
  private String token;

  @BeforeEach
  void start() throws IOException {
    server =
        ServerFixture.start(
            ServerFixture.testConfig(data).set(ServerConfig.Key.ADMIN_PORT, "0").build());
    base = "http://127.0.0.1:" + server.server().adminPort();
    token = AdminToken.read(data.resolve(AdminToken.FILE));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** The HTTP face: GET with the query, POST with a form body. */
  private HttpResponse<String> api(String method, String path, String form, String bearer)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    if (method.equals("POST")) {
      b.header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString(form));
    } else {
      b.GET();
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode post(String path, String form) throws Exception {
    HttpResponse<String> r = api("POST", path, form, token);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private JsonNode get(String path) throws Exception {
    HttpResponse<String> r = api("GET", path, "", token);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  /** The command-line face, finding the endpoint and the token from --data-dir and --url. */
  private JsonNode cli(String... words) throws Exception {
    AdminCliRunner.Result r = AdminCliRunner.run(base, data, words);
    assertThat(r.status()).as(r.err()).isZero();
    return JSON.readTree(r.out());
  }

  private void loginFails(String name, String password) throws IOException {
    try (FrameClient c = server.connect()) {
      c.send(new LoginRequest(name, password));
      c.expect(ErrorResponse.of(ErrorCode.BAD_CREDENTIALS, CommandType.C_LOGIN_REQ));
    }
  }

  private FrameClient login(String name, String password) throws IOException {
    FrameClient c = server.connect();
    c.send(new LoginRequest(name, password));
    c.expect(LoginResponse.class);
    return c;
  }

  @Test
  void theTokenIsGeneratedPrivateAndRequired() throws Exception {
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(data.resolve("admin.token"))))
        .isEqualTo("rw-------");
    assertThat(api("GET", "/api/stats", "", null).statusCode()).isEqualTo(401);
    assertThat(api("GET", "/api/stats", "", token + "x").statusCode()).isEqualTo(401);
    assertThat(api("GET", "/api/stats", "", token).statusCode()).isEqualTo(200);
    assertThat(api("GET", "/api/users/add", "", token).statusCode()).isEqualTo(405);
    assertThat(api("POST", "/api/nope", "", token).statusCode()).isEqualTo(404);
    JsonNode listing = get("/api");
    assertThat(listing.findValuesAsText("command"))
        .contains(
            "stats",
            "users list",
            "users show",
            "users add",
            "users set-password",
            "users ban",
            "users unban",
            "users delete",
            "sessions list",
            "sessions kick",
            "bans list",
            "bans add",
            "bans remove",
            "drain",
            "reload",
            "backup");
  }

  @Test
  void usersThroughBothFaces() throws Exception {
    JsonNode added = post("/api/users/add", "name=Alice&password=secret1&email=a%40x.org");
    assertThat(added.get("name").asText()).isEqualTo("Alice");
    cli("users", "add", "alfred", "secret2");
    AdminCliRunner.Result taken = AdminCliRunner.run(base, data, "users", "add", "ALICE", "pw1234");
    assertThat(taken.status()).isEqualTo(1);
    assertThat(taken.err()).contains("taken");

    login("alice", "secret1").close();
    assertThat(cli("users", "list", "q=al").findValuesAsText("name"))
        .containsExactly("alfred", "Alice");
    assertThat(get("/api/users/list?q=alf").findValuesAsText("name")).containsExactly("alfred");
    JsonNode shown = cli("users", "show", "alice");
    assertThat(shown.get("email").asText()).isEqualTo("a@x.org");
    assertThat(shown.get("banned").asBoolean()).isFalse();
    assertThat(api("GET", "/api/users/show?name=nobody", "", token).statusCode()).isEqualTo(404);

    cli("users", "set-password", "alice", "--password", "newpass1");
    loginFails("alice", "secret1");
    login("alice", "newpass1").close();

    FrameClient online = login("alfred", "secret2");
    JsonNode banned = post("/api/users/ban", "name=alfred");
    assertThat(banned.get("banned").asBoolean()).isTrue();
    assertThat(banned.get("kicked").asInt()).isEqualTo(1);
    online.expectClosed(Duration.ofSeconds(10));
    online.close();
    loginFails("alfred", "secret2");
    assertThat(get("/api/users/show?name=alfred").get("banned").asBoolean()).isTrue();
    cli("users", "unban", "alfred");
    login("alfred", "secret2").close();
  }

  @Test
  void deleteRemovesTheAccountTellsFriendsAndClosesItsSession() throws Exception {
    LoggedInFriends f = server.friends("dla", "dlb");
    // b opts into the friends extension, so it is told of the removal (S_FRIEND_REMOVED).
    f.cb().close();
    ServerFixture.expectStatus(f.ca(), f.b(), Presence.OFFLINE);
    FrameClient cb = server.connect();
    cb.send(new Hello(1, Set.of(Feature.SOCIAL)));
    cb.expect(HelloResponse.class);
    cb.send(new LoginRequest(f.b(), ServerFixture.PASSWORD));
    cb.expect(LoginResponse.class);
    ServerFixture.expectStatus(f.ca(), f.b(), Presence.ONLINE);

    JsonNode gone = cli("users", "delete", f.a().toUpperCase(java.util.Locale.ROOT));
    assertThat(gone.get("name").asText()).isEqualTo(f.a());
    assertThat(gone.get("friendsTold").asInt()).isEqualTo(1);
    assertThat(gone.get("kicked").asInt()).isEqualTo(1);
    f.ca().expectClosed(Duration.ofSeconds(10));
    ServerFixture.expectStatus(cb, f.a(), Presence.OFFLINE);
    cb.expect(new FriendRemoved(f.a()));
    cb.expectSilence(Duration.ofMillis(300));

    loginFails(f.a(), ServerFixture.PASSWORD);
    assertThat(api("GET", "/api/users/show?name=" + f.a(), "", token).statusCode()).isEqualTo(404);
    assertThat(api("POST", "/api/users/delete", "name=" + f.a(), token).statusCode())
        .isEqualTo(404);
    // The name is free again, with nothing of the old account.
    assertThat(post("/api/users/add", "name=" + f.a() + "&password=other12").get("name").asText())
        .isEqualTo(f.a());
    login(f.a(), "other12").close();
  }

  private void expectRefused() throws IOException {
    try (FrameClient refused = server.connect()) {
      refused.expectClosed(Duration.ofSeconds(5));
      assertThat(refused.buffered()).isEmpty();
    }
  }

  /** The web port closes a banned peer's connection as it opens too, before any HTTP. */
  private void expectWebRefused() throws IOException {
    try (FrameClient refused = FrameClient.connect(server.server().webPort())) {
      refused.expectClosed(Duration.ofSeconds(5));
      assertThat(refused.buffered()).isEmpty();
    }
  }

  @Test
  void addressBansCloseOpenConnectionsRefuseNewOnesAndAreLifted() throws Exception {
    server.register("ban1");
    FrameClient open = server.login("ban1");
    assertThat(api("POST", "/api/bans/add", "cidr=127.0.0.1/8", token).statusCode())
        .as("host bits after the prefix")
        .isEqualTo(400);
    assertThat(api("POST", "/api/bans/add", "cidr=nonsense", token).statusCode()).isEqualTo(400);

    // The tests connect from loopback, exempt from the address limits: a ban beats that.
    JsonNode added = cli("bans", "add", "127.0.0.0/8");
    assertThat(added.get("cidr").asText()).isEqualTo("127.0.0.0/8");
    assertThat(added.get("added").asBoolean()).isTrue();
    assertThat(added.get("closed").asInt()).isEqualTo(1);
    open.expectClosed(Duration.ofSeconds(10));
    open.close();
    // A new connection is closed at once (long before the login timeout), with nothing written.
    expectRefused();
    expectWebRefused();
    assertThat(post("/api/bans/add", "cidr=2001:DB8:0::/32").get("cidr").asText())
        .isEqualTo("2001:db8::/32");
    assertThat(post("/api/bans/add", "cidr=127.0.0.0/8").get("added").asBoolean()).isFalse();
    JsonNode listed = get("/api/bans/list");
    assertThat(listed.findValuesAsText("cidr")).containsExactly("127.0.0.0/8", "2001:db8::/32");
    assertThat(listed.get(0).get("since").asText()).isNotBlank();

    assertThat(cli("bans", "remove", "127.0.0.0/8").get("removed").asBoolean()).isTrue();
    assertThat(api("POST", "/api/bans/remove", "cidr=127.0.0.0/8", token).statusCode())
        .isEqualTo(404);
    assertThat(cli("bans", "list").findValuesAsText("cidr")).containsExactly("2001:db8::/32");
    server.login("ban1").close();
  }

  @Test
  void addressBansSurviveARestart() throws Exception {
    cli("bans", "add", "127.0.0.0/8");
    server.close();
    server =
        ServerFixture.start(
            ServerFixture.testConfig(data).set(ServerConfig.Key.ADMIN_PORT, "0").build());
    base = "http://127.0.0.1:" + server.server().adminPort();
    expectRefused();
    assertThat(cli("bans", "list").findValuesAsText("cidr")).containsExactly("127.0.0.0/8");
  }

  @Test
  void sessionsAndStatsThroughBothFaces() throws Exception {
    server.register("sue");
    FrameClient sue = server.login("sue");
    JsonNode sessions = cli("sessions", "list");
    assertThat(sessions).hasSize(1);
    assertThat(sessions.get(0).get("user").asText()).isEqualTo("sue");
    assertThat(sessions.get(0).get("address").asText()).isEqualTo("127.0.0.1");
    assertThat(sessions.get(0).get("transport").asText()).isEqualTo("tcp");
    assertThat(sessions.get(0).get("since").asText()).isNotBlank();
    assertThat(sessions.get(0).get("node").asText()).isNotBlank();
    assertThat(get("/api/sessions/list")).hasSize(1);

    JsonNode stats = get("/api/stats");
    assertThat(stats.get("users").asLong()).isEqualTo(1);
    assertThat(stats.get("online").asLong()).isEqualTo(1);
    assertThat(cli("stats").get("online").asLong()).isEqualTo(1);

    assertThat(post("/api/sessions/kick", "name=SUE").get("kicked").asInt()).isEqualTo(1);
    sue.expectClosed(Duration.ofSeconds(10));
    sue.close();
    AdminCliRunner.Result none = AdminCliRunner.run(base, data, "sessions", "kick", "sue");
    assertThat(none.status()).isEqualTo(1);
  }

  @Test
  void backupIsAConsistentCopyAndReloadSaysWhatChanged() throws Exception {
    server.register("bak");
    Path copy = backups.resolve("copy.db");
    JsonNode b = cli("backup", copy.toString());
    assertThat(b.get("bytes").asLong()).isPositive();
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + copy);
        ResultSet rs = db.createStatement().executeQuery("SELECT name FROM users")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("bak");
    }
    assertThat(api("POST", "/api/backup", "file=" + copy, token).statusCode()).isEqualTo(400);

    JsonNode reloaded = post("/api/reload", "");
    assertThat(reloaded.get("needsRestart")).isEmpty();
  }

  @Test
  void reloadAppliesLimitsAndTheLogLevelLiveWithoutDroppingConnections() throws Exception {
    ch.qos.logback.classic.Logger imps =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("imps");
    ch.qos.logback.classic.Level before = imps.getLevel();
    server.close();
    server = ServerFixture.start(config("2/1h", "").build());
    base = "http://127.0.0.1:" + server.server().adminPort();
    try {
      LoggedInFriends f = server.friends("rla", "rlb");
      for (int i = 0; i < 2; i++) {
        f.ca().send(new SendMessage(f.a(), f.b(), "m" + i));
        f.ca().expectError(0, CommandType.C_SEND_MSG);
      }
      f.ca().send(new SendMessage(f.a(), f.b(), "over"));
      f.ca().expectError(10, CommandType.C_SEND_MSG);

      ServerConfig loose =
          config("50/1h", "debug")
              .set(ServerConfig.Key.MAX_FRIENDS, "7")
              // Loopback no longer exempt, and one connection not logged in per address.
              .set(ServerConfig.Key.LIMIT_EXEMPT, "")
              .set(ServerConfig.Key.LIMIT_UNAUTHENTICATED_PER_ADDRESS, "1")
              .build();
      server.server().reloadFrom(() -> loose);
      JsonNode reloaded = post("/api/reload", "");
      assertThat(reloaded.get("applied").findValuesAsText("setting"))
          .containsExactlyInAnyOrder(
              "limit.messages", "limit.exempt", "limit.unauthenticated-per-address", "log.level");
      assertThat(reloaded.get("needsRestart"))
          .extracting(JsonNode::asText)
          .containsExactly("max-friends");
      assertThat(org.slf4j.LoggerFactory.getLogger(ImpsServerLike.class).isDebugEnabled()).isTrue();
      // The same connections go on, now under the new limit.
      f.ca().send(new SendMessage(f.a(), f.b(), "after"));
      f.ca().expectError(0, CommandType.C_SEND_MSG);
      f.cb().awaitMatching(MessagePush.class, m -> m.message().equals("after"));
      try (FrameClient idle = server.connect()) {
        idle.send(new FriendListRequest("nobody")); // answered (error 5): the connection is up
        idle.expectError(5, CommandType.C_FRIENDLIST_REFURBISH_REQ);
        expectRefused();
      }

      // Back to the level the server started with (IMPS_LOG_LEVEL / logback.xml).
      ServerConfig tight = config("2/1h", "").build();
      server.server().reloadFrom(() -> tight);
      JsonNode again = post("/api/reload", "");
      assertThat(again.get("applied").findValuesAsText("setting"))
          .containsExactlyInAnyOrder(
              "limit.messages", "limit.exempt", "limit.unauthenticated-per-address", "log.level");
      assertThat(imps.getLevel()).isEqualTo(before);
      // A changed limit starts every user with a full bucket at the new rate.
      for (int i = 0; i < 2; i++) {
        f.ca().send(new SendMessage(f.a(), f.b(), "again" + i));
        f.ca().expectError(0, CommandType.C_SEND_MSG);
      }
      f.ca().send(new SendMessage(f.a(), f.b(), "tight again"));
      f.ca().expectError(10, CommandType.C_SEND_MSG);
    } finally {
      imps.setLevel(before);
    }
  }

  private ServerConfig.Builder config(String messages, String logLevel) {
    return ServerFixture.testConfig(data)
        .set(ServerConfig.Key.ADMIN_PORT, "0")
        .set(ServerConfig.Key.LIMIT_MESSAGES, messages)
        .set(ServerConfig.Key.LOG_LEVEL, logLevel);
  }

  /** A class in the server's packages, for its logger. */
  private static final class ImpsServerLike {}

  @Test
  void drainAnnouncesToClientsThatOptedInThenDrains() throws Exception {
    server.register("ann1");
    server.register("ann2");
    FrameClient opted = server.connect();
    opted.send(new Hello(1, Set.of(Feature.NOTICES)));
    assertThat(opted.expect(HelloResponse.class).features()).contains(Feature.NOTICES);
    opted.send(new LoginRequest("ann1", ServerFixture.PASSWORD));
    opted.expect(LoginResponse.class);
    FrameClient legacy = server.login("ann2");

    JsonNode drained =
        post(
            "/api/drain",
            "delay=1s&announce="
                + java.net.URLEncoder.encode(
                    "Maintenance: back in 5 minutes", java.nio.charset.StandardCharsets.UTF_8));
    assertThat(drained.get("announced").asInt()).isEqualTo(1);
    opted.expect(new Notice("Maintenance: back in 5 minutes"));
    // Still served during the delay, then told and closed like every client.
    opted.send(new FriendListRequest("ann1"));
    opted.expect(FriendListResponse.class);
    opted.expect(ErrorResponse.unsolicited(ErrorCode.SHUTTING_DOWN));
    opted.expectClosed(Duration.ofSeconds(10));
    // A legacy client sees only the shutdown notice, as without --announce.
    legacy.expect(ErrorResponse.unsolicited(ErrorCode.SHUTTING_DOWN));
    legacy.expectClosed(Duration.ofSeconds(10));
    server.server().stopped().get(30, TimeUnit.SECONDS);
  }

  @Test
  void drainStopsTheServerAfterTellingClients() throws Exception {
    server.register("dri");
    FrameClient c = server.login("dri");
    JsonNode drained = cli("drain", "--delay", "0s");
    assertThat(drained.get("state").asText()).isEqualTo("draining");
    c.expect(ErrorResponse.unsolicited(ErrorCode.SHUTTING_DOWN));
    c.expectClosed(Duration.ofSeconds(10));
    c.close();
    server.server().stopped().get(30, TimeUnit.SECONDS);
  }
}
