package imps.server;

import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.CommandType;
import imps.protocol.ErrorCode;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.SendMessage;
import imps.protocol.message.StatusNotifyPush;
import imps.testsupport.FrameClient;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding M8: SIGTERM drains. Senders pipeline messages to offline friends while the server process
 * gets SIGTERM. Every message the server read was answered before the connection closed (so the
 * number acknowledged equals the number stored: nothing committed lost its acknowledgement, which a
 * client would resend as a duplicate), every client is told S_ERROR_RSP(32, 0) last, and the
 * process exits 0.
 */
class GracefulDrainIT {
  private static final int SENDERS = 40;
  private static final int WINDOW = 8;

  @TempDir Path data;

  /** What one sender saw. */
  private record Outcome(String name, int sent, int acknowledged, boolean noticeLast) {}

  @Test
  void sigtermAnswersEveryRequestReadThenTellsClients() throws Exception {
    ServerProcess server = ServerProcess.start(data, List.of());
    ExecutorService pool = Executors.newFixedThreadPool(SENDERS);
    try {
      List<FrameClient> clients = new ArrayList<>();
      for (int i = 0; i < SENDERS; i++) {
        String s = "drs" + i;
        String r = "drr" + i;
        ServerFixture.registerOn(server.port(), s, r);
        FrameClient a = ServerFixture.loginOn(server.port(), s);
        FrameClient b = ServerFixture.loginOn(server.port(), r);
        ServerFixture.befriend(a, s, b, r);
        b.close();
        clients.add(a);
      }
      CountDownLatch loaded = new CountDownLatch(SENDERS);
      List<Future<Outcome>> outcomes = new ArrayList<>();
      for (int i = 0; i < SENDERS; i++) {
        FrameClient c = clients.get(i);
        String s = "drs" + i;
        String r = "drr" + i;
        outcomes.add(pool.submit(() -> sendUntilClosed(c, s, r, loaded)));
      }
      assertThat(loaded.await(30, TimeUnit.SECONDS)).isTrue();
      Thread.sleep(300);
      server.terminate();
      assertThat(server.exitStatus(Duration.ofSeconds(60))).isZero();

      long acknowledged = 0;
      for (Future<Outcome> f : outcomes) {
        Outcome o = f.get(60, TimeUnit.SECONDS);
        assertThat(o.noticeLast()).as("%s was told S_ERROR_RSP(32, 0) last", o.name()).isTrue();
        assertThat(stored(o.name()))
            .as("%s: stored messages = acknowledged ones (%d sent)", o.name(), o.sent())
            .isEqualTo(o.acknowledged());
        acknowledged += o.acknowledged();
      }
      assertThat(acknowledged).isGreaterThan(SENDERS * WINDOW);
      assertThat(String.join("\n", server.output())).doesNotContain("ERROR");
    } finally {
      pool.shutdownNow();
      server.kill9();
    }
  }

  /**
   * Keeps {@link #WINDOW} messages in flight until the server closes the connection; returns what
   * was sent and acknowledged and whether the shutdown notice was the last frame.
   */
  private static Outcome sendUntilClosed(
      FrameClient c, String from, String to, CountDownLatch loaded) throws Exception {
    int sent = 0;
    int acked = 0;
    boolean sending = true;
    ErrorResponse last = null;
    for (; sent < WINDOW; sent++) {
      c.send(new SendMessage(from, to, "m" + sent));
    }
    while (true) {
      Object frame;
      try {
        frame = c.next(Duration.ofSeconds(30));
      } catch (AssertionError closed) {
        break;
      }
      if (frame instanceof StatusNotifyPush) {
        continue; // the friend went offline before the test began
      }
      if (!(frame instanceof ErrorResponse e)) {
        throw new AssertionError(from + " got " + frame);
      }
      last = e;
      if (e.code() == ErrorCode.SUCCESS && e.request() == CommandType.C_SEND_MSG) {
        if (++acked == WINDOW) {
          loaded.countDown();
        }
        if (sending) {
          try {
            c.send(new SendMessage(from, to, "m" + sent));
            sent++;
          } catch (java.io.IOException writeFailed) {
            sending = false;
          }
        }
      } else if (e.code() != ErrorCode.SHUTTING_DOWN) {
        throw new AssertionError(from + " got " + e);
      }
    }
    c.close();
    boolean noticeLast =
        last != null && last.equals(ErrorResponse.unsolicited(ErrorCode.SHUTTING_DOWN));
    return new Outcome(from, sent, acked, noticeLast);
  }

  private long stored(String sender) throws Exception {
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("imps.db"));
        PreparedStatement q =
            db.prepareStatement(
                "SELECT count(*) FROM messages m JOIN users u ON u.id = m.sender_id"
                    + " WHERE u.name = ?")) {
      q.setString(1, sender);
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
