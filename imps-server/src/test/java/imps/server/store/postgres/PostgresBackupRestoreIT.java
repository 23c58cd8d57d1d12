package imps.server.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import imps.protocol.CommandType;
import imps.protocol.Presence;
import imps.protocol.message.MessagePush;
import imps.protocol.message.SendMessage;
import imps.server.LoggedInFriends;
import imps.server.ServerFixture;
import imps.server.admin.AdminToken;
import imps.server.config.ServerConfig;
import imps.server.store.PostgresTestDatabase;
import imps.testsupport.FrameClient;
import imps.testsupport.Services;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * OPERATIONS.md's PostgreSQL backup and restore, run as written there: {@code admin backup} answers
 * 501 (the database's own tools do it); {@code pg_dump -Fc} of the live database, {@code createdb}
 * and {@code pg_restore --no-owner} into a new one, a server started on it: the users log in with
 * their passwords and every message stored before the dump comes to its recipient, in order.
 */
class PostgresBackupRestoreIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension static final PostgresTestDatabase db = PostgresTestDatabase.perClass();

  @TempDir Path data;
  @TempDir Path restoredData;
  @TempDir Path backups;

  private static ServerConfig config(Path dataDir, String url) {
    return ServerFixture.testConfig(dataDir)
        .set(ServerConfig.Key.STORE, "postgres")
        .set(ServerConfig.Key.POSTGRES_URL, url)
        .set(ServerConfig.Key.POSTGRES_POOL_SIZE, "4")
        .set(ServerConfig.Key.ADMIN_PORT, "0")
        .build();
  }

  /** Runs a PostgreSQL client tool; its exit status must be 0. */
  private static void run(List<String> command, File stdout) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command);
    if (stdout != null) {
      pb.redirectOutput(stdout);
      pb.redirectError(ProcessBuilder.Redirect.PIPE);
    } else {
      pb.redirectErrorStream(true);
    }
    Process p = pb.start();
    String said = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (stdout == null) {
      said += new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + ": " + said).isZero();
  }

  @Test
  void pgDumpOfTheLiveDatabaseRestoresIntoANewOneAndIsServed() throws Exception {
    Services.requirePostgres();
    String host = Services.POSTGRES_HOST;
    String restored =
        "imps_restored_"
            + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36)
                .toLowerCase(Locale.ROOT);
    List<String> sent = new ArrayList<>();
    String a;
    String b;
    try (ServerFixture server = ServerFixture.start(config(data, db.url()))) {
      LoggedInFriends f = server.friends("pga", "pgb");
      a = f.a();
      b = f.b();
      f.cb().close();
      ServerFixture.expectStatus(f.ca(), b, Presence.OFFLINE);
      for (int i = 0; i < 20; i++) {
        f.ca().send(new SendMessage(a, b, "m" + i));
        f.ca().expectError(0, CommandType.C_SEND_MSG);
        sent.add("m" + i);
      }

      // admin backup is SQLite's: on PostgreSQL it answers 501 and names the tool.
      String token = AdminToken.read(data.resolve(AdminToken.FILE));
      HttpResponse<String> backup =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://127.0.0.1:" + server.server().adminPort() + "/api/backup"))
                      .header("Authorization", "Bearer " + token)
                      .header("Content-Type", "application/x-www-form-urlencoded")
                      .POST(HttpRequest.BodyPublishers.ofString("file=" + backups.resolve("x.db")))
                      .timeout(Duration.ofSeconds(30))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(backup.statusCode()).isEqualTo(501);
      assertThat(JSON.readTree(backup.body()).get("error").asText()).contains("pg_dump");

      // pg_dump -Fc -h DBHOST -U postgres imps > imps-DATE.dump, while the server runs.
      run(
          List.of("pg_dump", "-Fc", "-h", host, "-U", "postgres", db.name()),
          backups.resolve("imps.dump").toFile());
    }
    try {
      run(List.of("createdb", "-h", host, "-U", "postgres", restored), null);
      run(
          List.of(
              "pg_restore",
              "-h",
              host,
              "-U",
              "postgres",
              "-d",
              restored,
              "--no-owner",
              backups.resolve("imps.dump").toString()),
          null);
      String restoredUrl =
          "jdbc:postgresql://" + host + ":" + Services.POSTGRES_PORT + "/" + restored;
      try (ServerFixture server = ServerFixture.start(config(restoredData, restoredUrl))) {
        FrameClient cb = server.login(b);
        for (String text : sent) {
          MessagePush p = cb.awaitMatching(MessagePush.class, m -> true);
          assertThat(p.friendName()).isEqualTo(a);
          assertThat(p.message()).isEqualTo(text);
        }
        server.login(a).close();
        cb.close();
      }
    } finally {
      run(
          List.of(
              "psql",
              "-h",
              host,
              "-U",
              "postgres",
              "-d",
              "postgres",
              "-c",
              "DROP DATABASE IF EXISTS " + restored + " WITH (FORCE)"),
          null);
    }
  }
}
