package imps.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import imps.protocol.ErrorCode;
import imps.protocol.Feature;
import imps.protocol.Gender;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ImpsClient#unread} and {@link ImpsClient#markRead} against a real server over TCP. */
class UnreadClientIT {
  static final String PW = "secret1";
  static final AtomicInteger SEQ = new AtomicInteger();

  @TempDir static Path dir;
  static TestServer server;
  final List<ImpsClient> clients = new ArrayList<>();

  @BeforeAll
  static void start() {
    server = new TestServer(dir);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @AfterEach
  void closeClients() {
    clients.forEach(ImpsClient::close);
  }

  ImpsClient client(Recorder rec, boolean legacy) {
    ImpsClient c =
        new ImpsClient(
            ClientOptions.builder()
                .port(server.port())
                .legacy(legacy)
                .requestTimeout(Duration.ofSeconds(5))
                .build(),
            rec);
    clients.add(c);
    c.connect().join();
    return c;
  }

  /** Registers a and b, makes them friends, and leaves both logged in on the given clients. */
  static void befriend(ImpsClient ca, Recorder ra, ImpsClient cb, Recorder rb, String a, String b)
      throws Exception {
    ca.register(a, PW, Gender.UNSPECIFIED, "").join();
    ca.register(b, PW, Gender.UNSPECIFIED, "").join();
    ca.login(a, PW).join();
    cb.login(b, PW).join();
    ca.addFriend(b).join();
    rb.await(Recorder.FriendRequest.class);
    cb.answerFriendRequest(a, true).join();
    ra.await(FriendRequestOutcome.class);
  }

  @Test
  void countsWhatWasNotMarkedReadUntilMarkReadCoversIt() throws Exception {
    String a = "una" + SEQ.incrementAndGet();
    String b = "unb" + SEQ.incrementAndGet();
    Recorder ra = new Recorder();
    Recorder rb = new Recorder();
    ImpsClient ca = client(ra, false);
    ImpsClient cb = client(rb, false);
    befriend(ca, ra, cb, rb, a, b);
    assertThat(cb.extensions()).contains(Feature.UNREAD, Feature.RECEIPTS);

    ca.sendMessage(b, "one").join();
    ca.sendVoice(b, new byte[] {1, 2}).join();
    ca.sendMessage(b, "three").join();
    ReceivedMessage first = rb.await(ReceivedMessage.class);
    rb.await(ReceivedClip.class);
    ReceivedMessage third = rb.await(ReceivedMessage.class);

    // Delivered is not read: all three count.
    UnreadCounts counts = cb.unread().join();
    assertThat(counts.byFriend()).isEqualTo(Map.of(a, 3));
    assertThat(counts.count(a.toUpperCase())).isEqualTo(3);
    assertThat(counts.count("nobody")).isZero();
    assertThat(counts.total()).isEqualTo(3);
    assertThat(counts.asOfSeq()).isGreaterThanOrEqualTo(third.seq());
    assertThat(ca.unread().join().byFriend()).isEmpty();

    cb.markRead(first).join();
    assertThat(cb.unread().join().byFriend()).isEqualTo(Map.of(a, 2));

    // Up to AsOfSeq: everything counted is read.
    cb.markRead(a, counts.asOfSeq()).join();
    UnreadCounts none = cb.unread().join();
    assertThat(none.byFriend()).isEmpty();
    assertThat(none.total()).isZero();
  }

  @Test
  void aLegacyConnectionIsRefused() throws Exception {
    String a = "unl" + SEQ.incrementAndGet();
    ImpsClient c = client(new Recorder(), false);
    c.register(a, PW, Gender.UNSPECIFIED, "").join();
    c.close();
    ImpsClient legacy = client(new Recorder(), true);
    legacy.login(a, PW).join();
    assertThatThrownBy(() -> legacy.unread().join())
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOfSatisfying(
            ImpsRefusedException.class,
            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.NOT_PERMITTED));
  }
}
