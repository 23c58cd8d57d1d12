package imps.server.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import imps.protocol.CommandType;
import imps.protocol.ErrorCode;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.MessagePush;
import imps.protocol.message.SendMessage;
import imps.server.Backends;
import imps.server.ImpsServer;
import imps.server.ServerFixture;
import imps.server.config.ServerConfig;
import imps.server.store.PostgresTestDatabase;
import imps.server.store.jdbc.Tx;
import imps.testsupport.FaultProxy;
import imps.testsupport.FrameClient;
import imps.testsupport.Services;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Review finding M6: PostgreSQL behind a {@link FaultProxy}. A commit whose reply is lost (the
 * connection reset right after COMMIT) is not run a second time; a black-holed database answers
 * requests with error 11 within seconds instead of holding them for minutes, and nothing answered
 * with error 11 is stored. Every connection, pooled reader or writer, runs with the statement
 * timeout and TCP keepalive.
 */
class PostgresFaultsIT {
  @RegisterExtension final PostgresTestDatabase db = PostgresTestDatabase.create();
  private FaultProxy proxy;
  private ImpsServer server;
  private PostgresStore store;

  @BeforeEach
  void start() throws Exception {
    Services.requirePostgres();
    proxy = FaultProxy.start(Services.POSTGRES_HOST, Services.POSTGRES_PORT);
    String url = "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + db.name();
    ServerConfig config =
        ServerFixture.testConfig(Files.createTempDirectory("imps-pgfaults"))
            .set(ServerConfig.Key.STORE, "postgres")
            .set(ServerConfig.Key.POSTGRES_URL, url)
            .set(ServerConfig.Key.POSTGRES_POOL_SIZE, "2")
            .set(ServerConfig.Key.POSTGRES_WRITERS, "1")
            .set(ServerConfig.Key.POSTGRES_STATEMENT_TIMEOUT, "1s")
            .set(ServerConfig.Key.POSTGRES_SOCKET_TIMEOUT, "2s")
            .build();
    // The store as the server opens it, kept to look at its connections.
    store = (PostgresStore) Backends.openStore(config, Clock.systemUTC());
    server = ImpsServer.start(config, Clock.systemUTC(), store);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      proxy.heal();
      server.close();
    }
    if (proxy != null) {
      proxy.close();
    }
  }

  @Test
  void readAndWriterConnectionsRunWithTheTimeoutsAndTcpKeepalive() throws Exception {
    Map<String, String> read = store.database().read(PostgresFaultsIT::sessionSettings);
    Map<String, String> written = store.database().write(PostgresFaultsIT::sessionSettings);
    assertThat(read.get("application_name"))
        .as("a pooled read connection")
        .isNotEqualTo("imps-writer");
    assertThat(written.get("application_name")).as("a writer connection").isEqualTo("imps-writer");
    for (Map<String, String> session : List.of(read, written)) {
      // postgres.statement-timeout 1s; a session idle inside a transaction ends after twice the
      // socket timeout (2s).
      assertThat(session)
          .containsEntry("statement_timeout", "1s")
          .containsEntry("idle_in_transaction_session_timeout", "4s");
    }
    assertThat(written).containsEntry("synchronous_commit", "on");

    // TCP keepalive is a socket option of the driver's side: the kernel shows a keepalive timer on
    // each established connection to the database (here, to the proxy in front of it), the two
    // of the pool and the writer's.
    await()
        .atMost(10, TimeUnit.SECONDS)
        .untilAsserted(
            () -> {
              List<String> sockets = socketsTo(proxy.port());
              assertThat(sockets).hasSizeGreaterThanOrEqualTo(3);
              assertThat(sockets).allMatch(l -> l.contains("timer:(keepalive,"));
            });
  }

  /** The settings of the session that runs {@code tx}, by name. */
  private static Map<String, String> sessionSettings(Tx tx) throws SQLException {
    Map<String, String> out = new TreeMap<>();
    for (String name :
        List.of(
            "statement_timeout",
            "idle_in_transaction_session_timeout",
            "synchronous_commit",
            "application_name")) {
      out.put(name, tx.one("SHOW " + name, ps -> {}, rs -> rs.getString(1)).orElseThrow());
    }
    return out;
  }

  /** The established TCP connections of this host to {@code port}, one line each, from ss(8). */
  private static List<String> socketsTo(int port) throws Exception {
    Process ss =
        new ProcessBuilder(
                "ss", "-H", "-t", "-n", "-o", "state", "established", "dport", "=", ":" + port)
            .redirectErrorStream(true)
            .start();
    String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(ss.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(ss.exitValue()).as(out).isZero();
    return out.lines().filter(l -> !l.isBlank()).toList();
  }

  @Test
  void aCommitWhoseReplyWasLostIsNotRunAgain() throws Exception {
    String s = ServerFixture.uniqueName("amb");
    String r = ServerFixture.uniqueName("ambr");
    ServerFixture.registerOn(server.port(), s, r);
    try (FrameClient cs = ServerFixture.loginOn(server.port(), s);
        FrameClient cr = ServerFixture.loginOn(server.port(), r)) {
      ServerFixture.befriend(cs, s, cr, r);
      // Let the friendship's delivery marks be written, so that the next COMMIT is the message's.
      awaitCount("SELECT count(*) FROM request_outcomes WHERE delivered = 0", 0);

      proxy.resetAfterNextCommit();
      cs.send(new SendMessage(s, r, "exactly once"));
      cs.expect(ErrorResponse.of(ErrorCode.SUCCESS, CommandType.C_SEND_MSG));
      assertThat(cr.expect(MessagePush.class).message()).isEqualTo("exactly once");
      assertThat(proxy.resets()).isEqualTo(1);
      assertThat(count("SELECT count(*) FROM messages WHERE body_text = 'exactly once'"))
          .isEqualTo(1);
      cr.expectSilence(Duration.ofMillis(300));
      // Nothing comes again at the next login either (the sender stays online, so no presence
      // change of the sender's reaches it).
      cr.close();
      try (FrameClient again = ServerFixture.loginOn(server.port(), r)) {
        again.expectSilence(Duration.ofMillis(500));
      }
    }
  }

  @Test
  void aBlackHoledDatabaseAnswersErrorElevenWithinSecondsAndStoresNothingItRefused()
      throws Exception {
    String s = ServerFixture.uniqueName("bh");
    String r = ServerFixture.uniqueName("bhr");
    ServerFixture.registerOn(server.port(), s, r);
    int acknowledged = 0;
    int n = 20;
    try (FrameClient cs = ServerFixture.loginOn(server.port(), s)) {
      try (FrameClient cr = ServerFixture.loginOn(server.port(), r)) {
        ServerFixture.befriend(cs, s, cr, r);
      }
      awaitCount("SELECT count(*) FROM request_outcomes WHERE delivered = 0", 0);
      cs.awaitMatching(imps.protocol.message.StatusNotifyPush.class, p -> true);

      proxy.blackHole();
      long started = System.nanoTime();
      for (int i = 0; i < n; i++) {
        cs.send(new SendMessage(s, r, "into the hole " + i));
      }
      for (int i = 0; i < n; i++) {
        Object reply = cs.next(Duration.ofSeconds(30));
        assertThat(reply)
            .isIn(
                ErrorResponse.of(ErrorCode.SUCCESS, CommandType.C_SEND_MSG),
                ErrorResponse.of(ErrorCode.SERVER_ERROR, CommandType.C_SEND_MSG));
        if (reply.equals(ErrorResponse.of(ErrorCode.SUCCESS, CommandType.C_SEND_MSG))) {
          acknowledged++;
        }
      }
      long tookMs = (System.nanoTime() - started) / 1_000_000;
      System.out.printf(
          "black hole: %d requests answered within %d ms (%d acknowledged)%n",
          n, tookMs, acknowledged);
      // Socket timeout 2 s; a connection attempt 2 s; a lost commit resolved within 2 s more.
      assertThat(tookMs).isLessThan(20_000);

      // Healed: a client that retries what got error 11 gets it stored, once.
      proxy.heal();
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (true) {
        cs.send(new SendMessage(s, r, "after the hole"));
        Object reply = cs.next(Duration.ofSeconds(20));
        if (reply.equals(ErrorResponse.of(ErrorCode.SUCCESS, CommandType.C_SEND_MSG))) {
          break;
        }
        assertThat(reply)
            .isEqualTo(ErrorResponse.of(ErrorCode.SERVER_ERROR, CommandType.C_SEND_MSG));
        assertThat(System.nanoTime()).as("stored again after healing").isLessThan(deadline);
        Thread.sleep(200);
      }
    }
    assertThat(count("SELECT count(*) FROM messages WHERE body_text = 'after the hole'"))
        .isEqualTo(1);
    assertThat(count("SELECT count(*) FROM messages WHERE body_text LIKE 'into the hole %'"))
        .isEqualTo(acknowledged);
  }

  private long count(String query) throws SQLException {
    try (Connection c = DriverManager.getConnection(db.url(), PostgresTestDatabase.USER, "");
        PreparedStatement ps = c.prepareStatement(query);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private void awaitCount(String query, long expected) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (count(query) != expected) {
      assertThat(System.nanoTime()).as(query).isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}
