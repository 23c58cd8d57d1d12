package imps.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import imps.protocol.CommandType;
import imps.protocol.ErrorCode;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.MessagePush;
import imps.protocol.message.SendMessage;
import imps.protocol.message.StatusNotifyPush;
import imps.testsupport.FrameClient;
import java.net.ConnectException;
import java.net.Socket;
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
 * process exits 0. A connection attempted during the drain is refused, and pushes delivered just
 * before the signal stay delivered (their marks are written before the store closes).
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

  @Test
  void aConnectionAttemptedDuringTheDrainIsRefused() throws Exception {
    ServerProcess server = ServerProcess.start(data, List.of());
    try {
      ServerFixture.registerOn(server.port(), "held");
      // A client that does not close when told keeps the drain waiting (it lingers up to 2 s for
      // the client to close), so the server is still draining while the test connects.
      FrameClient held = ServerFixture.loginOn(server.port(), "held");
      server.terminate();
      held.expect(ErrorResponse.unsolicited(ErrorCode.SHUTTING_DOWN));
      assertThatThrownBy(() -> new Socket("127.0.0.1", server.port()).close())
          .as("a new connection while draining")
          .isInstanceOf(ConnectException.class);
      assertThat(server.isAlive()).as("still draining").isTrue();
      held.close();
      assertThat(server.exitStatus(Duration.ofSeconds(60))).isZero();
      assertThat(String.join("\n", server.output())).doesNotContain("ERROR");
    } finally {
      server.kill9();
    }
  }

  @Test
  void deliveryMarksOfPushesJustBeforeSigtermAreKeptSoTheNextLoginBringsNoRepeats()
      throws Exception {
    int n = 30;
    ServerProcess server = ServerProcess.start(data, List.of());
    try {
      ServerFixture.registerOn(server.port(), "dms", "dmr");
      FrameClient sender = ServerFixture.loginOn(server.port(), "dms");
      // A legacy recipient (no C_HELLO): a push counts as delivered once its bytes are
      // acknowledged by the recipient's TCP stack.
      FrameClient recipient = ServerFixture.loginOn(server.port(), "dmr");
      ServerFixture.befriend(sender, "dms", recipient, "dmr");
      for (int i = 0; i < n; i++) {
        sender.send(new SendMessage("dms", "dmr", "before the signal " + i));
      }
      for (int i = 0; i < n; i++) {
        sender.expect(ErrorResponse.of(ErrorCode.SUCCESS, CommandType.C_SEND_MSG));
      }
      for (int i = 0; i < n; i++) {
        assertThat(recipient.expect(MessagePush.class).message())
            .isEqualTo("before the signal " + i);
      }
      server.terminate();
      for (FrameClient c : List.of(sender, recipient)) {
        c.awaitMatching(
            ErrorResponse.class, e -> e.equals(ErrorResponse.unsolicited(ErrorCode.SHUTTING_DOWN)));
        c.close();
      }
      assertThat(server.exitStatus(Duration.ofSeconds(60))).isZero();
      assertThat(undelivered("dmr")).as("messages to dmr not marked delivered").isZero();
    } finally {
      server.kill9();
    }

    ServerProcess again = ServerProcess.start(data, List.of());
    try (FrameClient recipient = ServerFixture.loginOn(again.port(), "dmr")) {
      recipient.expectSilence(Duration.ofSeconds(1));
    } finally {
      again.kill9();
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

  private long undelivered(String recipient) throws Exception {
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("imps.db"));
        PreparedStatement q =
            db.prepareStatement(
                "SELECT count(*) FROM messages m JOIN users u ON u.id = m.recipient_id"
                    + " WHERE u.name = ? AND m.delivered = 0")) {
      q.setString(1, recipient);
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
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
