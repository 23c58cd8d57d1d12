package imps.server.message;

import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.CommandType;
import imps.protocol.ErrorCode;
import imps.protocol.Presence;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.MessagePush;
import imps.protocol.message.SendMessage;
import imps.server.ImpsServerExtension;
import imps.server.LoggedInFriends;
import imps.server.config.ServerConfig.Key;
import imps.testsupport.FrameClient;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Review finding H3: storage was unbounded. Undelivered messages per recipient have a quota (past
 * it the sender gets error 10), and delivered ones are deleted (history.retention 0).
 */
class StorageQuotaIT {
  @RegisterExtension
  final ImpsServerExtension server =
      ImpsServerExtension.withSettings(
          b -> b.set(Key.QUOTA_UNDELIVERED_ITEMS, "3").set(Key.HISTORY_RETENTION, "0s"));

  @Test
  void pastTheRecipientsQuotaTheSenderGetsError10AndTheRestArrives() throws IOException {
    LoggedInFriends f = server.friends("qa", "qb");
    f.cb().close();
    ImpsServerExtension.expectStatus(f.ca(), f.b(), Presence.OFFLINE);
    for (int i = 0; i < 4; i++) {
      f.ca().send(new SendMessage(f.a(), f.b(), "m" + i));
    }
    for (int i = 0; i < 3; i++) {
      f.ca().expectError(0, CommandType.C_SEND_MSG);
    }
    f.ca().expectError(10, CommandType.C_SEND_MSG);
    try (FrameClient cb = server.login(f.b())) {
      for (int i = 0; i < 3; i++) {
        assertThat(cb.expect(MessagePush.class).message()).isEqualTo("m" + i);
      }
      // Once delivered (the marks are recorded in the background), they no longer count.
      ErrorCode code = ErrorCode.TOO_MANY_REQUESTS;
      for (int tries = 0; tries < 100 && code != ErrorCode.SUCCESS; tries++) {
        f.ca().send(new SendMessage(f.a(), f.b(), "again"));
        code =
            f.ca()
                .awaitMatching(ErrorResponse.class, r -> r.cmd() == CommandType.C_SEND_MSG.value())
                .code();
        if (code != ErrorCode.SUCCESS) {
          assertThat(code).isEqualTo(ErrorCode.TOO_MANY_REQUESTS);
          sleep(50);
        }
      }
      assertThat(code).isEqualTo(ErrorCode.SUCCESS);
      assertThat(cb.expect(MessagePush.class).message()).isEqualTo("again");
    }
  }

  @Test
  void deliveredMessagesAreDeleted() throws Exception {
    LoggedInFriends f = server.friends("qa", "qb");
    f.ca().send(new SendMessage(f.a(), f.b(), "gone soon"));
    f.ca().expectError(0, CommandType.C_SEND_MSG);
    f.cb().expect(MessagePush.class);
    // The mark is recorded in the background; the purge runs every minute, here at once.
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (rows() > 0 && System.nanoTime() < deadline) {
      server.server().purgeMessages(server.clock());
      Thread.sleep(50);
    }
    assertThat(rows()).isZero();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private long rows() throws SQLException {
    try (Connection c =
            DriverManager.getConnection("jdbc:sqlite:" + server.dataDir().resolve("imps.db"));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM messages")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
