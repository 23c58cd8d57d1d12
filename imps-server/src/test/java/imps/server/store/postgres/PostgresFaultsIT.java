package imps.server.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.CommandType;
import imps.protocol.ErrorCode;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.MessagePush;
import imps.protocol.message.SendMessage;
import imps.server.ImpsServer;
import imps.server.ServerFixture;
import imps.server.config.ServerConfig;
import imps.server.store.PostgresTestDatabase;
import imps.testsupport.FaultProxy;
import imps.testsupport.FrameClient;
import imps.testsupport.Services;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Review finding M6: PostgreSQL behind a {@link FaultProxy}. A commit whose reply is lost (the
 * connection reset right after COMMIT) is not run a second time; a black-holed database answers
 * requests with error 11 within seconds instead of holding them for minutes, and nothing answered
 * with error 11 is stored.
 */
class PostgresFaultsIT {
  @RegisterExtension final PostgresTestDatabase db = PostgresTestDatabase.create();
  private FaultProxy proxy;
  private ImpsServer server;

  @BeforeEach
  void start() throws Exception {
    Services.requirePostgres();
    proxy = FaultProxy.start(Services.POSTGRES_HOST, Services.POSTGRES_PORT);
    String url = "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + db.name();
    server =
        ImpsServer.start(
            ServerFixture.testConfig(Files.createTempDirectory("imps-pgfaults"))
                .set(ServerConfig.Key.STORE, "postgres")
                .set(ServerConfig.Key.POSTGRES_URL, url)
                .set(ServerConfig.Key.POSTGRES_POOL_SIZE, "2")
                .set(ServerConfig.Key.POSTGRES_WRITERS, "1")
                .set(ServerConfig.Key.POSTGRES_STATEMENT_TIMEOUT, "1s")
                .set(ServerConfig.Key.POSTGRES_SOCKET_TIMEOUT, "2s")
                .build());
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
