package imps.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import imps.protocol.CommandType;
import imps.protocol.ErrorCode;
import imps.protocol.Feature;
import imps.protocol.Presence;
import imps.protocol.message.AudioPush;
import imps.protocol.message.AudioRequest;
import imps.protocol.message.ClipBytes;
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
import imps.protocol.message.ResumeRequest;
import imps.protocol.message.SendMessage;
import imps.server.AdminCliRunner;
import imps.server.LoggedInFriends;
import imps.server.ServerFixture;
import imps.server.config.ServerConfig;
import imps.server.store.sqlite.SqliteStore;
import imps.testsupport.FrameClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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

  /**
   * A 404 for a user that does not exist, with its own message: the command was found (not "no
   * admin command").
   */
  private static void expectNoSuchUser(HttpResponse<String> r, String name) throws IOException {
    expectNotFound(r, "no user named " + name);
  }

  private static void expectNotFound(HttpResponse<String> r, String error) throws IOException {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
    assertThat(JSON.readTree(r.body()).get("error").asText()).isEqualTo(error);
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
    expectNoSuchUser(api("GET", "/api/users/show?name=nobody", "", token), "nobody");

    cli("users", "set-password", "alice", "--password", "newpass1");
    loginFails("alice", "secret1");
    login("alice", "newpass1").close();
    JsonNode reset = post("/api/users/set-password", "name=ALICE&password=newpass2");
    assertThat(reset.get("name").asText()).isEqualTo("Alice");
    loginFails("alice", "newpass1");
    login("alice", "newpass2").close();
    for (String command : List.of("set-password", "ban", "unban", "delete")) {
      String form = "name=nobody" + (command.equals("set-password") ? "&password=newpass3" : "");
      expectNoSuchUser(api("POST", "/api/users/" + command, form, token), "nobody");
    }
    AdminCliRunner.Result unknown = AdminCliRunner.run(base, data, "users", "ban", "nobody");
    assertThat(unknown.status()).isEqualTo(1);
    assertThat(unknown.err()).contains("no user named nobody").doesNotContain("no admin command");

    // users ban on the command line, users unban over HTTP.
    FrameClient alice = login("alice", "newpass2");
    JsonNode cliBanned = cli("users", "ban", "alice");
    assertThat(cliBanned.get("banned").asBoolean()).isTrue();
    assertThat(cliBanned.get("kicked").asInt()).isEqualTo(1);
    alice.expectClosed(Duration.ofSeconds(10));
    alice.close();
    loginFails("alice", "newpass2");
    assertThat(post("/api/users/unban", "name=alice").get("banned").asBoolean()).isFalse();
    login("alice", "newpass2").close();

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
    expectNoSuchUser(api("GET", "/api/users/show?name=" + f.a(), "", token), f.a());
    expectNoSuchUser(api("POST", "/api/users/delete", "name=" + f.a(), token), f.a());
    // The name is free again, with nothing of the old account.
    assertThat(post("/api/users/add", "name=" + f.a() + "&password=other12").get("name").asText())
        .isEqualTo(f.a());
    login(f.a(), "other12").close();

    // Deleted over HTTP too: a logged-in user with a friend (b, who opted into SOCIAL).
    FrameClient again = login(f.a(), "other12");
    ServerFixture.befriend(again, f.a(), cb, f.b());
    JsonNode viaApi = post("/api/users/delete", "name=" + f.a());
    assertThat(viaApi.get("name").asText()).isEqualTo(f.a());
    assertThat(viaApi.get("friendsTold").asInt()).isEqualTo(1);
    assertThat(viaApi.get("kicked").asInt()).isEqualTo(1);
    again.expectClosed(Duration.ofSeconds(10));
    again.close();
    cb.awaitMatching(FriendRemoved.class, r -> r.friendName().equals(f.a()));
    loginFails(f.a(), "other12");
    expectNoSuchUser(api("GET", "/api/users/show?name=" + f.a(), "", token), f.a());
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
    expectNotFound(
        api("POST", "/api/bans/remove", "cidr=127.0.0.0/8", token), "127.0.0.0/8 is not banned");
    AdminCliRunner.Result notBanned = AdminCliRunner.run(base, data, "bans", "remove", "10.0.0.1");
    assertThat(notBanned.status()).isEqualTo(1);
    assertThat(notBanned.err()).contains("10.0.0.1/32 is not banned");
    assertThat(cli("bans", "list").findValuesAsText("cidr")).containsExactly("2001:db8::/32");
    JsonNode removed = post("/api/bans/remove", "cidr=2001:DB8::/32");
    assertThat(removed.get("cidr").asText()).isEqualTo("2001:db8::/32");
    assertThat(removed.get("removed").asBoolean()).isTrue();
    assertThat(get("/api/bans/list")).isEmpty();
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
    assertThat(stats.get("total").get("online").asLong()).isEqualTo(1);
    assertThat(cli("stats").get("total").get("online").asLong()).isEqualTo(1);

    assertThat(post("/api/sessions/kick", "name=SUE").get("kicked").asInt()).isEqualTo(1);
    sue.expectClosed(Duration.ofSeconds(10));
    sue.close();
    // The session ends a moment after its connection closed (once what it delivered is on record):
    // until then a kick still finds it.
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> !get("/api/users/show?name=sue").get("online").asBoolean());
    AdminCliRunner.Result none = AdminCliRunner.run(base, data, "sessions", "kick", "sue");
    assertThat(none.status()).isEqualTo(1);
    assertThat(none.err()).contains("sue has no session");
    expectNotFound(api("POST", "/api/sessions/kick", "name=sue", token), "sue has no session");
    expectNoSuchUser(api("POST", "/api/sessions/kick", "name=nobody", token), "nobody");

    FrameClient again = server.login("sue");
    assertThat(cli("sessions", "kick", "sue").get("kicked").asInt()).isEqualTo(1);
    again.expectClosed(Duration.ofSeconds(10));
  }

  /** {@code figures.get(kind)}: {@code stored} and {@code delivered}. */
  private static void expectCounts(JsonNode figures, String kind, long stored, long delivered) {
    assertThat(figures.get(kind).get("stored").asLong()).as(kind + " stored").isEqualTo(stored);
    assertThat(figures.get(kind).get("delivered").asLong())
        .as(kind + " delivered")
        .isEqualTo(delivered);
  }

  @Test
  void statsCountTextsAndClipsStoredAndDeliveredThroughBothFaces() throws Exception {
    LoggedInFriends f = server.friends("sta", "stb");
    for (String text : List.of("one", "two")) {
      f.ca().send(new SendMessage(f.a(), f.b(), text));
      f.ca().expectError(0, CommandType.C_SEND_MSG);
      f.cb().awaitMatching(MessagePush.class, m -> m.message().equals(text));
    }
    f.ca().send(new AudioRequest(f.b(), ClipBytes.copyOf(new byte[] {1, 2, 3}), ""));
    f.ca().expectError(0, CommandType.C_AUDIO_REQ);
    f.cb().awaitMatching(AudioPush.class, p -> p.friendName().equals(f.a()));

    JsonNode both = cli("stats");
    assertThat(both.get("users").asLong()).isEqualTo(2);
    JsonNode total = both.get("total");
    assertThat(total.get("online").asLong()).isEqualTo(2);
    // At least the two logged in (the registration's closed connection may not be gone yet).
    assertThat(total.get("connections").asLong()).isGreaterThanOrEqualTo(2);
    expectCounts(total, "messages", 2, 2);
    expectCounts(total, "clips", 1, 1);
    assertThat(both.get("nodes")).hasSize(1);
    JsonNode node = both.get("nodes").get(0);
    assertThat(node.get("node").asText()).isEqualTo(both.get("node").asText()).isNotBlank();
    JsonNode nodeFigures =
        ((com.fasterxml.jackson.databind.node.ObjectNode) node.deepCopy()).without("node");
    assertThat((Object) nodeFigures).isEqualTo(total);

    // b goes offline: what a sends now is stored, not delivered.
    f.cb().close();
    ServerFixture.expectStatus(f.ca(), f.b(), Presence.OFFLINE);
    f.ca().send(new SendMessage(f.a(), f.b(), "three"));
    f.ca().expectError(0, CommandType.C_SEND_MSG);
    f.ca().send(new AudioRequest(f.b(), ClipBytes.copyOf(new byte[] {4}), ""));
    f.ca().expectError(0, CommandType.C_AUDIO_REQ);

    JsonNode one = get("/api/stats");
    assertThat(one.get("total").get("online").asLong()).isEqualTo(1);
    expectCounts(one.get("total"), "messages", 3, 2);
    expectCounts(one.get("total"), "clips", 2, 1);
    // The store keeps the delivered ones too (until history.retention), and says what waits.
    JsonNode kept = one.get("store");
    assertThat(kept.get("messages").get("kept").asLong()).isEqualTo(3);
    assertThat(kept.get("messages").get("undelivered").asLong()).isEqualTo(1);
    assertThat(kept.get("clips").get("kept").asLong()).isEqualTo(2);
    assertThat(kept.get("clips").get("undelivered").asLong()).isEqualTo(1);

    // b comes back: its backlog is delivered, and counted.
    FrameClient back = server.login(f.b());
    back.awaitMatching(MessagePush.class, m -> m.message().equals("three"));
    back.awaitMatching(AudioPush.class, p -> p.friendName().equals(f.a()));
    JsonNode all = cli("stats");
    expectCounts(all.get("total"), "messages", 3, 3);
    expectCounts(all.get("total"), "clips", 2, 2);
    back.close();
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

    Path second = backups.resolve("second.db");
    JsonNode viaApi = post("/api/backup", "file=" + second);
    assertThat(viaApi.get("file").asText()).isEqualTo(second.toString());
    assertThat(viaApi.get("bytes").asLong()).isEqualTo(Files.size(second));
    assertThat(integrityCheck(second)).isEqualTo("ok");

    JsonNode reloaded = post("/api/reload", "");
    assertThat(reloaded.get("needsRestart")).isEmpty();
    JsonNode reloadedByCli = cli("reload");
    assertThat(reloadedByCli.get("applied")).isEmpty();
    assertThat(reloadedByCli.get("needsRestart")).isEmpty();
  }

  private static String integrityCheck(Path db) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        ResultSet rs = c.createStatement().executeQuery("PRAGMA integrity_check")) {
      assertThat(rs.next()).isTrue();
      return rs.getString(1);
    }
  }

  /** The texts stored for {@code recipient} in the SQLite file {@code db}, in sequence order. */
  private static List<String> storedFor(Path db, String recipient) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT m.body_text FROM messages m JOIN users u ON u.id = m.recipient_id"
                    + " WHERE u.name = ? ORDER BY m.seq")) {
      ps.setString(1, recipient);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  /**
   * OPERATIONS.md's backup and restore, as written there: a backup taken while messages are being
   * stored, then restored into a new data directory and served, with everything acknowledged before
   * the backup began.
   */
  @Test
  void aBackupTakenUnderWritesRestoresIntoANewDataDirectory() throws Exception {
    LoggedInFriends f = server.friends("rsa", "rsb");
    // b goes offline: what a sends now waits in the store for b's next login.
    f.cb().close();
    ServerFixture.expectStatus(f.ca(), f.b(), Presence.OFFLINE);
    AtomicInteger acknowledged = new AtomicInteger();
    AtomicBoolean writing = new AtomicBoolean(true);
    CompletableFuture<Void> writer =
        CompletableFuture.runAsync(
            () -> {
              try {
                while (writing.get()) {
                  f.ca().send(new SendMessage(f.a(), f.b(), "m" + acknowledged.get()));
                  f.ca().expectError(0, CommandType.C_SEND_MSG);
                  acknowledged.incrementAndGet();
                }
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (acknowledged.get() < 20 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    int beforeBackup = acknowledged.get();
    assertThat(beforeBackup).isGreaterThanOrEqualTo(20);
    Path copy = backups.resolve("imps-backup.db");
    cli("backup", copy.toString());
    int whileWriting = acknowledged.get();
    writing.set(false);
    writer.get(30, TimeUnit.SECONDS);

    assertThat(integrityCheck(copy)).isEqualTo("ok");
    List<String> inCopy = storedFor(copy, f.b());
    // Every message acknowledged before the backup began is in the copy, at most the one then
    // being stored besides those acknowledged when it ended; and the copy is a prefix of what was
    // sent (a snapshot: no message missing before one that is there).
    assertThat(inCopy.size()).isBetween(beforeBackup, whileWriting + 1);
    for (int i = 0; i < inCopy.size(); i++) {
      assertThat(inCopy.get(i)).isEqualTo("m" + i);
    }
    assertThat(storedFor(data.resolve(SqliteStore.FILE_NAME), f.b()).size())
        .as("the live store went on after the backup")
        .isGreaterThanOrEqualTo(whileWriting);

    // Restore (OPERATIONS.md): stop the server, no stale WAL beside the file, copy, private mode.
    server.close();
    Path restored = Files.createDirectory(backups.resolve("restored-data"));
    Files.deleteIfExists(restored.resolve(SqliteStore.FILE_NAME + "-wal"));
    Files.deleteIfExists(restored.resolve(SqliteStore.FILE_NAME + "-shm"));
    Files.copy(copy, restored.resolve(SqliteStore.FILE_NAME));
    Files.setPosixFilePermissions(
        restored.resolve(SqliteStore.FILE_NAME), PosixFilePermissions.fromString("rw-------"));
    server =
        ServerFixture.start(
            ServerFixture.testConfig(restored).set(ServerConfig.Key.ADMIN_PORT, "0").build());
    base = "http://127.0.0.1:" + server.server().adminPort();
    token = AdminToken.read(restored.resolve(AdminToken.FILE));

    // b logs in with its password and gets what the copy holds, in order; a too.
    FrameClient cb = server.login(f.b());
    for (int i = 0; i < inCopy.size(); i++) {
      MessagePush p = cb.awaitMatching(MessagePush.class, m -> true);
      assertThat(p.friendName()).isEqualTo(f.a());
      assertThat(p.message()).isEqualTo("m" + i);
    }
    cb.send(new FriendListRequest(f.b()));
    FriendListResponse friends = cb.awaitMatching(FriendListResponse.class, r -> true);
    assertThat(friends.friends()).extracting(fi -> fi.name()).containsExactly(f.a());
    server.login(f.a()).close();
    JsonNode stats = get("/api/stats");
    assertThat(stats.get("users").asLong()).isEqualTo(2);
    assertThat(stats.get("store").get("messages").get("kept").asLong()).isEqualTo(inCopy.size());
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

  /** GET /ready, which needs no token. */
  private HttpResponse<String> ready() throws IOException, InterruptedException {
    return api("GET", "/ready", "", null);
  }

  @Test
  void drainStopsNewLoginsAtOnceAndServesLoggedInSessionsUntilTheClose() throws Exception {
    server.register("dst1");
    server.register("dst2");
    FrameClient online = server.login("dst1");
    // Open and answered (so accepted by the server), but not logged in.
    FrameClient notYet = server.connect();
    notYet.send(new FriendListRequest("dst2"));
    notYet.expectError(5, CommandType.C_FRIENDLIST_REFURBISH_REQ);
    FrameClient resuming = server.connect();
    resuming.send(new Hello(1, Set.of(Feature.ACKS)));
    resuming.expect(HelloResponse.class);
    assertThat(ready().statusCode()).isEqualTo(200);
    int port = server.port();
    int webPort = server.server().webPort();

    JsonNode drained = post("/api/drain", "delay=2s");
    assertThat(drained.get("state").asText()).isEqualTo("draining");
    // During the delay: not ready, no new connection on any client port, no new login.
    HttpResponse<String> notReady = ready();
    assertThat(notReady.statusCode()).isEqualTo(503);
    assertThat(JSON.readTree(notReady.body()).get("state").asText()).isEqualTo("draining");
    assertThatThrownBy(() -> FrameClient.connect(port).close())
        .isInstanceOf(ConnectException.class);
    assertThatThrownBy(() -> FrameClient.connect(webPort).close())
        .isInstanceOf(ConnectException.class);
    notYet.send(new LoginRequest("dst2", ServerFixture.PASSWORD));
    notYet.expect(ErrorResponse.of(ErrorCode.SHUTTING_DOWN, CommandType.C_LOGIN_REQ));
    // Refused before the token is looked at: a resume is a login too.
    resuming.send(new ResumeRequest("dst2", "any-token", 0));
    resuming.expect(ErrorResponse.of(ErrorCode.SHUTTING_DOWN, CommandType.C_RESUME));
    // The logged-in session is still served until the delay has passed.
    online.send(new FriendListRequest("dst1"));
    online.expect(FriendListResponse.class);
    assertThat(server.server().stopped()).isNotDone();

    // After the delay, both are drained as usual (decision 35).
    online.expect(ErrorResponse.unsolicited(ErrorCode.SHUTTING_DOWN));
    online.expectClosed(Duration.ofSeconds(10));
    notYet.expect(ErrorResponse.unsolicited(ErrorCode.SHUTTING_DOWN));
    notYet.expectClosed(Duration.ofSeconds(10));
    server.server().stopped().get(30, TimeUnit.SECONDS);
  }

  @Test
  void drainStopsTheServerAfterTellingClients() throws Exception {
    server.register("dri");
    server.register("dri2");
    FrameClient c = server.login("dri");
    FrameClient opted = server.connect();
    opted.send(new Hello(1, Set.of(Feature.NOTICES)));
    opted.expect(HelloResponse.class);
    opted.send(new LoginRequest("dri2", ServerFixture.PASSWORD));
    opted.expect(LoginResponse.class);
    // The command line's --announce, as OPERATIONS.md shows it.
    JsonNode drained = cli("drain", "--delay", "0s", "--announce", "Back in a minute");
    assertThat(drained.get("state").asText()).isEqualTo("draining");
    assertThat(drained.get("announced").asInt()).isEqualTo(1);
    opted.expect(new Notice("Back in a minute"));
    opted.expect(ErrorResponse.unsolicited(ErrorCode.SHUTTING_DOWN));
    c.expect(ErrorResponse.unsolicited(ErrorCode.SHUTTING_DOWN));
    c.expectClosed(Duration.ofSeconds(10));
    c.close();
    opted.expectClosed(Duration.ofSeconds(10));
    opted.close();
    server.server().stopped().get(30, TimeUnit.SECONDS);
  }
}
