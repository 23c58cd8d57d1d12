package imps.server;

import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.CommandType;
import imps.protocol.ErrorCode;
import imps.protocol.Feature;
import imps.protocol.Presence;
import imps.protocol.message.Ack;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.Hello;
import imps.protocol.message.HelloResponse;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.LoginResponse;
import imps.protocol.message.MessagePush;
import imps.protocol.message.ResumeRequest;
import imps.protocol.message.SendMessage;
import imps.protocol.message.StoredPush;
import imps.testsupport.FrameClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lossless delivery across a SIGKILL of the server (issue 12, item 7): messages flow from a sender
 * with idempotent sends to a recipient with acknowledged delivery; the server process is killed in
 * the middle; after a restart on the same data the sender resends every message with its client
 * message id (the ones whose acknowledgement it got, as if that had been lost, and the ones it
 * never got an answer for), and the recipient resumes with its session token. Every message arrives
 * exactly once, in order, once repeats are dropped by sequence number, and none is stored twice.
 */
class AcknowledgedDurabilityIT {
  private static final int MESSAGES = 300;
  private static final int READ_BEFORE_KILL = 100;
  private static final Set<Feature> ALL =
      Set.of(Feature.ACKS, Feature.IDEMPOTENT_SENDS, Feature.RECEIPTS);

  @TempDir Path data;

  /** A connection that opted in, and the session token its login gave. */
  private record Opted(FrameClient c, String token) {}

  @Test
  void everyMessageArrivesExactlyOnceInOrderAcrossKillNineAndResends() throws Exception {
    String a = "ackdura";
    String b = "ackdurb";
    List<Long> acked = new ArrayList<>();
    List<String> received = new ArrayList<>();
    long lastSeq = 0;
    String tokenA;
    String tokenB;

    ServerProcess first = ServerProcess.start(data, List.of());
    try {
      ServerFixture.registerOn(first.port(), a, b);
      try (FrameClient ca = ServerFixture.loginOn(first.port(), a);
          FrameClient cb = ServerFixture.loginOn(first.port(), b)) {
        ServerFixture.befriend(ca, a, cb, b);
      }
      Opted sender = optIn(first.port(), a);
      Opted recipient = optIn(first.port(), b);
      tokenA = sender.token();
      tokenB = recipient.token();
      for (int id = 1; id <= MESSAGES; id++) {
        sender.c().send(new SendMessage(a, b, "m" + id, id));
      }
      // Read part of the stream, acknowledging each item, then kill the server mid-flow.
      while (received.size() < READ_BEFORE_KILL) {
        StoredPush p = recipient.c().expect(StoredPush.class);
        lastSeq = accept(p, lastSeq, received);
        recipient.c().send(new Ack(p.seq()));
      }
      first.kill9();
      acked.addAll(acknowledgedIds(sender.c()));
      sender.c().close();
      recipient.c().close();
    } finally {
      first.kill9();
    }
    assertThat(acked).as("acknowledged before the kill").isNotEmpty();

    ServerProcess second = ServerProcess.start(data, List.of());
    try {
      FrameClient ca = resume(second.port(), a, tokenA, 0);
      // Every message again with its id: acknowledged ones as after a lost acknowledgement.
      for (int id = 1; id <= MESSAGES; id++) {
        ca.send(new SendMessage(a, b, "m" + id, id));
      }
      for (int id = 1; id <= MESSAGES; id++) {
        ErrorResponse e =
            ca.awaitMatching(
                ErrorResponse.class,
                x -> x.cmd() == CommandType.C_SEND_MSG.value(),
                Duration.ofSeconds(30));
        assertThat(e.code()).as("resend of %d", id).isEqualTo(ErrorCode.SUCCESS);
      }
      FrameClient cb = resume(second.port(), b, tokenB, lastSeq);
      while (received.size() < MESSAGES) {
        StoredPush p = cb.awaitMatching(StoredPush.class, x -> true, Duration.ofSeconds(30));
        lastSeq = accept(p, lastSeq, received);
        cb.send(new Ack(p.seq()));
      }
      cb.expectSilence(Duration.ofMillis(500));
      List<String> expected = new ArrayList<>();
      for (int id = 1; id <= MESSAGES; id++) {
        expected.add("m" + id);
      }
      assertThat(received).containsExactlyElementsOf(expected);
      ca.close();
      cb.close();
    } finally {
      second.kill9();
    }
  }

  /**
   * Takes a stored item the way a client does: a repeat (a sequence number already seen) is
   * dropped; a message is added to {@code received}. Returns the highest sequence number seen.
   */
  private static long accept(StoredPush p, long lastSeq, List<String> received) {
    if (p.seq() <= lastSeq) {
      return lastSeq;
    }
    if (p.item() instanceof MessagePush m) {
      received.add(m.message());
    }
    return p.seq();
  }

  /** The client message ids the sender got S_ERROR_RSP(0, 11) for before its connection died. */
  private static List<Long> acknowledgedIds(FrameClient sender) {
    List<Long> ids = new ArrayList<>();
    try {
      while (true) {
        Object o = sender.next(Duration.ofSeconds(5));
        if (o instanceof ErrorResponse e && e.cmd() == CommandType.C_SEND_MSG.value()) {
          assertThat(e.code()).isEqualTo(ErrorCode.SUCCESS);
          ids.add((long) ids.size() + 1); // replies come in request order
        }
      }
    } catch (IOException | AssertionError closed) {
      // FrameClient reports the end of the stream as an AssertionError.
      return ids;
    }
  }

  private static Opted optIn(int port, String name) throws IOException {
    FrameClient c = FrameClient.connect(port);
    c.send(new Hello(1, ALL));
    assertThat(c.expect(HelloResponse.class).features()).isEqualTo(ALL);
    c.send(new LoginRequest(name, ServerFixture.PASSWORD));
    LoginResponse r = c.expect(LoginResponse.class);
    assertThat(r.token()).isNotBlank();
    return new Opted(c, r.token());
  }

  private static FrameClient resume(int port, String name, String token, long lastSeq)
      throws IOException {
    FrameClient c = FrameClient.connect(port);
    c.send(new Hello(1, ALL));
    c.expect(HelloResponse.class);
    c.send(new ResumeRequest(name, token, lastSeq));
    LoginResponse r = c.awaitMatching(LoginResponse.class, x -> true, Duration.ofSeconds(30));
    assertThat(r.status()).isEqualTo(Presence.ONLINE);
    return c;
  }
}
