package imps.server.message;

import static imps.server.ImpsServerExtension.PASSWORD;
import static imps.server.ImpsServerExtension.expectStatus;
import static imps.server.ImpsServerExtension.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.CommandType;
import imps.protocol.ErrorCode;
import imps.protocol.Feature;
import imps.protocol.Presence;
import imps.protocol.message.Ack;
import imps.protocol.message.AudioPush;
import imps.protocol.message.AudioRequest;
import imps.protocol.message.ClipBytes;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.Hello;
import imps.protocol.message.HelloResponse;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.LoginResponse;
import imps.protocol.message.MessagePush;
import imps.protocol.message.ReadNotice;
import imps.protocol.message.Receipt;
import imps.protocol.message.ResumeRequest;
import imps.protocol.message.SendMessage;
import imps.protocol.message.StatusNotifyPush;
import imps.protocol.message.StatusNotifyRequest;
import imps.protocol.message.StoredPush;
import imps.server.ImpsServerExtension;
import imps.server.LoggedInFriends;
import imps.testsupport.FrameClient;
import java.io.IOException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The extensions of docs/PROTOCOL.md section 8 over TCP: C_HELLO, S_STORED and C_ACK, session
 * tokens and C_RESUME, idempotent sends, delivery and read receipts.
 */
class AcknowledgedDeliveryIT {
  private static final Set<Feature> ALL = EnumSet.allOf(Feature.class);
  private static final Duration QUIET = Duration.ofMillis(400);

  @RegisterExtension static final ImpsServerExtension server = ImpsServerExtension.withDefaults();

  /** Connects, says hello with {@code features} and logs {@code name} in. */
  private static Opted optIn(String name, Set<Feature> features) throws IOException {
    FrameClient c = server.connect();
    c.send(new Hello(1, features));
    HelloResponse hello = c.expect(HelloResponse.class);
    c.send(new LoginRequest(name, PASSWORD));
    LoginResponse login = c.expect(LoginResponse.class);
    assertThat(login.userName()).isEqualTo(name);
    return new Opted(c, hello, login);
  }

  private record Opted(FrameClient c, HelloResponse hello, LoginResponse login) {}

  /** Two friends; {@code b} logged out (its offline status consumed on {@code a}). */
  private static LoggedInFriends withOfflineB(String prefix) throws IOException {
    LoggedInFriends f = server.friends(prefix + "a", prefix + "b");
    f.cb().close();
    expectStatus(f.ca(), f.b(), Presence.OFFLINE);
    return f;
  }

  @Test
  void helloGrantsWhatTheServerSupportsWithItsLimits() throws IOException {
    String name = uniqueName("hello");
    server.register(name);
    Opted o = optIn(name, ALL);
    assertThat(o.hello().version()).isEqualTo(1);
    assertThat(o.hello().features()).isEqualTo(ALL);
    assertThat(o.hello().maxMessageChars()).isEqualTo(server.config().maxMessageChars());
    assertThat(o.hello().maxAudioBytes()).isEqualTo(server.config().maxAudioBytes());
    assertThat(o.login().status()).isEqualTo(Presence.ONLINE);
    assertThat(o.login().token()).isNotBlank();
    assertThat(o.login().tokenTtlSeconds()).isEqualTo(30 * 24 * 3600);
    // Opting in is for before login only.
    o.c().send(new Hello(1, ALL));
    o.c().expectError(3, CommandType.C_HELLO);
  }

  @Test
  void receiptsNeedAcknowledgedDeliveryAndWithoutItTheLoginReplyHasNoToken() throws IOException {
    String name = uniqueName("noack");
    server.register(name);
    Opted o = optIn(name, EnumSet.of(Feature.RECEIPTS, Feature.IDEMPOTENT_SENDS));
    assertThat(o.hello().features()).containsExactly(Feature.IDEMPOTENT_SENDS);
    assertThat(o.login().status()).isEqualTo(Presence.ONLINE);
    assertThat(o.login().token()).isNull();
    o.c().send(new Ack(1));
    o.c().expectError(3, CommandType.C_ACK);
    o.c().send(new ReadNotice("anyone", 1));
    o.c().expectError(3, CommandType.C_READ);
  }

  @Test
  void storedItemsComeWithSequenceNumbersAndAgainUntilAcknowledged() throws IOException {
    LoggedInFriends f = withOfflineB("sq");
    for (int i = 0; i < 3; i++) {
      f.ca().send(new SendMessage(f.a(), f.b(), "m" + i));
      f.ca().expectError(0, CommandType.C_SEND_MSG);
    }
    Opted b = optIn(f.b(), Set.of(Feature.ACKS));
    long[] seqs = new long[3];
    for (int i = 0; i < 3; i++) {
      StoredPush p = b.c().expect(StoredPush.class);
      assertThat(p.item())
          .isEqualTo(new MessagePush(f.a(), "m" + i, ((MessagePush) p.item()).datetime()));
      seqs[i] = p.seq();
    }
    assertThat(seqs[1]).isEqualTo(seqs[0] + 1);
    assertThat(seqs[2]).isEqualTo(seqs[1] + 1);
    // A live message while online is a stored item too.
    expectStatus(f.ca(), f.b(), Presence.ONLINE);
    f.ca().send(new SendMessage(f.a(), f.b(), "live"));
    f.ca().expectError(0, CommandType.C_SEND_MSG);
    StoredPush live = b.c().expect(StoredPush.class);
    assertThat(live.seq()).isEqualTo(seqs[2] + 1);
    assertThat(((MessagePush) live.item()).message()).isEqualTo("live");

    // Only the first is acknowledged: the rest come again at the next login.
    b.c().send(new Ack(seqs[0]));
    b.c().expectSilence(QUIET); // C_ACK has no reply
    b.c().close();
    expectStatus(f.ca(), f.b(), Presence.OFFLINE);
    Opted again = optIn(f.b(), Set.of(Feature.ACKS));
    assertThat(again.c().expect(StoredPush.class).seq()).isEqualTo(seqs[1]);
    assertThat(again.c().expect(StoredPush.class).seq()).isEqualTo(seqs[2]);
    assertThat(again.c().expect(StoredPush.class).seq()).isEqualTo(live.seq());
    again.c().send(new Ack(live.seq()));
    again.c().expectSilence(QUIET);
    again.c().close();
    expectStatus(f.ca(), f.b(), Presence.ONLINE);
    expectStatus(f.ca(), f.b(), Presence.OFFLINE);
    // Everything acknowledged: a legacy login of the same user gets nothing.
    FrameClient legacy = server.login(f.b());
    legacy.expectSilence(QUIET);
  }

  @Test
  void aResendWithTheSameClientMessageIdIsAcceptedButStoredOnce() throws IOException {
    LoggedInFriends f = withOfflineB("idem");
    f.ca().close();
    Opted a = optIn(f.a(), Set.of(Feature.IDEMPOTENT_SENDS));
    a.c().send(new SendMessage(f.a(), f.b(), "once", 77));
    a.c().expectError(0, CommandType.C_SEND_MSG);
    a.c().send(new SendMessage(f.a(), f.b(), "once", 77));
    a.c().expectError(0, CommandType.C_SEND_MSG);
    a.c().send(new AudioRequest(f.b(), ClipBytes.copyOf(new byte[] {1, 2}), "", 78));
    a.c().expectError(0, CommandType.C_AUDIO_REQ);
    a.c().send(new AudioRequest(f.b(), ClipBytes.copyOf(new byte[] {1, 2}), "", 78));
    a.c().expectError(0, CommandType.C_AUDIO_REQ);

    FrameClient b = server.login(f.b());
    assertThat(b.expect(MessagePush.class).message()).isEqualTo("once");
    assertThat(b.expect(AudioPush.class).data().toByteArray()).containsExactly(1, 2);
    b.expectSilence(QUIET);
  }

  @Test
  void withoutTheFeatureClientMessageIdsAreIgnored() throws IOException {
    LoggedInFriends f = withOfflineB("noidem");
    f.ca().send(new SendMessage(f.a(), f.b(), "one", 5));
    f.ca().expectError(0, CommandType.C_SEND_MSG);
    f.ca().send(new SendMessage(f.a(), f.b(), "two", 5));
    f.ca().expectError(0, CommandType.C_SEND_MSG);
    FrameClient b = server.login(f.b());
    assertThat(b.expect(MessagePush.class).message()).isEqualTo("one");
    assertThat(b.expect(MessagePush.class).message()).isEqualTo("two");
  }

  @Test
  void resumeWithTheTokenLogsInAndSkipsWhatTheClientHas() throws IOException {
    LoggedInFriends f = withOfflineB("rs");
    Opted first = optIn(f.b(), Set.of(Feature.ACKS));
    expectStatus(f.ca(), f.b(), Presence.ONLINE);
    f.ca().send(new SendMessage(f.a(), f.b(), "one"));
    f.ca().expectError(0, CommandType.C_SEND_MSG);
    f.ca().send(new SendMessage(f.a(), f.b(), "two"));
    f.ca().expectError(0, CommandType.C_SEND_MSG);
    long one = first.c().expect(StoredPush.class).seq();
    first.c().expect(StoredPush.class);
    // The connection drops before the client acknowledges anything.
    first.c().close();
    expectStatus(f.ca(), f.b(), Presence.OFFLINE);

    FrameClient c = server.connect();
    c.send(new Hello(1, Set.of(Feature.ACKS)));
    c.expect(HelloResponse.class);
    c.send(new ResumeRequest(f.b(), first.login().token(), one));
    LoginResponse resumed = c.expect(LoginResponse.class);
    assertThat(resumed.userName()).isEqualTo(f.b());
    assertThat(resumed.token()).isEqualTo(first.login().token());
    StoredPush two = c.expect(StoredPush.class);
    assertThat(((MessagePush) two.item()).message()).isEqualTo("two");
    c.expectSilence(QUIET);
  }

  @Test
  void aResumeNamingAnItemTheEndedConnectionDidNotWriteCountsNothing() throws IOException {
    LoggedInFriends f = withOfflineB("rz");
    Opted first = optIn(f.b(), Set.of(Feature.ACKS));
    expectStatus(f.ca(), f.b(), Presence.ONLINE);
    f.ca().send(new SendMessage(f.a(), f.b(), "one"));
    f.ca().expectError(0, CommandType.C_SEND_MSG);
    long one = first.c().expect(StoredPush.class).seq();
    first.c().close();
    expectStatus(f.ca(), f.b(), Presence.OFFLINE);

    // A higher number than anything written: it proves nothing about what the client has.
    FrameClient c = server.connect();
    c.send(new Hello(1, Set.of(Feature.ACKS)));
    c.expect(HelloResponse.class);
    c.send(new ResumeRequest(f.b(), first.login().token(), one + 1000));
    c.expect(LoginResponse.class);
    StoredPush again = c.expect(StoredPush.class);
    assertThat(again.seq()).isEqualTo(one);
    assertThat(((MessagePush) again.item()).message()).isEqualTo("one");
    c.expectSilence(QUIET);
  }

  @Test
  void anAcknowledgementOfANumberNeverWrittenToTheConnectionCountsNothing() throws IOException {
    LoggedInFriends f = withOfflineB("an");
    f.ca().send(new SendMessage(f.a(), f.b(), "one"));
    f.ca().expectError(0, CommandType.C_SEND_MSG);
    f.ca().send(new SendMessage(f.a(), f.b(), "two"));
    f.ca().expectError(0, CommandType.C_SEND_MSG);
    Opted b = optIn(f.b(), Set.of(Feature.ACKS));
    long one = b.c().expect(StoredPush.class).seq();
    long two = b.c().expect(StoredPush.class).seq();
    // Numbers this connection never wrote: above the last, and none at all.
    b.c().send(new Ack(two + 1000));
    b.c().send(new Ack(0));
    b.c().expectSilence(QUIET);
    b.c().close();
    expectStatus(f.ca(), f.b(), Presence.ONLINE);
    expectStatus(f.ca(), f.b(), Presence.OFFLINE);

    Opted again = optIn(f.b(), Set.of(Feature.ACKS));
    assertThat(again.c().expect(StoredPush.class).seq()).isEqualTo(one);
    assertThat(again.c().expect(StoredPush.class).seq()).isEqualTo(two);
    again.c().expectSilence(QUIET);
  }

  @Test
  void aWrongTokenIsRefusedAndSigningOutRevokesTheToken() throws IOException {
    String name = uniqueName("tok");
    server.register(name);
    Opted o = optIn(name, Set.of(Feature.ACKS));

    FrameClient wrong = server.connect();
    wrong.send(new Hello(1, Set.of(Feature.ACKS)));
    wrong.expect(HelloResponse.class);
    wrong.send(new ResumeRequest(name, o.login().token() + "x", 0));
    wrong.expectError(6, CommandType.C_RESUME);
    // Someone else's name with a valid token is refused too.
    wrong.send(new ResumeRequest(uniqueName("other"), o.login().token(), 0));
    wrong.expectError(6, CommandType.C_RESUME);
    // Without acknowledged delivery there is nothing to resume.
    FrameClient legacy = server.connect();
    legacy.send(new ResumeRequest(name, o.login().token(), 0));
    legacy.expectError(3, CommandType.C_RESUME);

    o.c().send(new StatusNotifyRequest(name, Presence.OFFLINE));
    o.c().expectError(0, CommandType.C_STATUS_NOTIFY);
    FrameClient after = server.connect();
    after.send(new Hello(1, Set.of(Feature.ACKS)));
    after.expect(HelloResponse.class);
    after.send(new ResumeRequest(name, o.login().token(), 0));
    after.expectError(6, CommandType.C_RESUME);
  }

  @Test
  void wrongTokensCountAsFailedLogins() throws IOException {
    String name = uniqueName("guess");
    server.register(name);
    FrameClient c = server.connect();
    c.send(new Hello(1, Set.of(Feature.ACKS)));
    c.expect(HelloResponse.class);
    int refused = 0;
    for (int i = 0; i < 10; i++) {
      c.send(new ResumeRequest(name, "guess-" + i, 0));
      ErrorResponse e = c.expect(ErrorResponse.class);
      assertThat(e.cmd()).isEqualTo(CommandType.C_RESUME.value());
      if (e.code() == ErrorCode.TOO_MANY_REQUESTS) {
        refused++;
      } else {
        assertThat(e.code()).isEqualTo(ErrorCode.BAD_CREDENTIALS);
      }
    }
    // The account's failed-login delay applies to token guesses as it does to passwords.
    assertThat(refused).isPositive();
  }

  @Test
  void theSenderGetsADeliveryReceiptWhenTheFriendAcknowledgesAndAReadReceiptWhenRead()
      throws IOException {
    LoggedInFriends f = withOfflineB("rc");
    f.ca().close();
    Opted a = optIn(f.a(), ALL);
    a.c().send(new SendMessage(f.a(), f.b(), "first", 10));
    a.c().expectError(0, CommandType.C_SEND_MSG);
    a.c().send(new SendMessage(f.a(), f.b(), "second", 11));
    a.c().expectError(0, CommandType.C_SEND_MSG);

    Opted b = optIn(f.b(), Set.of(Feature.ACKS));
    expectStatus(a.c(), f.b(), Presence.ONLINE);
    b.c().expect(StoredPush.class);
    long second = b.c().expect(StoredPush.class).seq();
    b.c().send(new Ack(second));

    StoredPush delivered = a.c().expect(StoredPush.class);
    assertThat(delivered.item()).isEqualTo(new Receipt(f.b(), 11, Receipt.State.DELIVERED));
    a.c().send(new Ack(delivered.seq()));

    // b needs RECEIPTS to send read notices: log in again with it.
    b.c().close();
    expectStatus(a.c(), f.b(), Presence.OFFLINE);
    Opted b2 = optIn(f.b(), EnumSet.of(Feature.ACKS, Feature.RECEIPTS));
    expectStatus(a.c(), f.b(), Presence.ONLINE);
    b2.c().send(new ReadNotice(f.a(), second));
    b2.c().expectError(0, CommandType.C_READ);
    StoredPush read = a.c().expect(StoredPush.class);
    assertThat(read.item()).isEqualTo(new Receipt(f.b(), 11, Receipt.State.READ));
    assertThat(read.seq()).isGreaterThan(delivered.seq());
    a.c().expectSilence(QUIET);
  }

  @Test
  void aReceiptThatAdvancesAfterTheLoginBacklogSentItIsPushedLive() throws IOException {
    // A receipt is one stored row per sender, friend and state, advanced in place with a new
    // sequence number: the advanced receipt is a new item, not a late copy of the one the
    // login backlog sent.
    LoggedInFriends f = withOfflineB("ra");
    f.ca().close();
    Opted a = optIn(f.a(), ALL);
    a.c().send(new SendMessage(f.a(), f.b(), "one", 1));
    a.c().expectError(0, CommandType.C_SEND_MSG);
    a.c().close();
    Opted b = optIn(f.b(), Set.of(Feature.ACKS));
    b.c().send(new Ack(b.c().expect(StoredPush.class).seq()));
    // A's sign-out may be announced after B's login, if its session was still ending then.
    b.c().expectSilenceExcept(QUIET, m -> m.equals(new StatusNotifyPush(f.a(), Presence.OFFLINE)));

    // a logs in: its backlog holds the receipt for "one".
    Opted a2 = optIn(f.a(), ALL);
    StoredPush first = a2.c().awaitMatching(StoredPush.class, p -> p.item() instanceof Receipt);
    assertThat(first.item()).isEqualTo(new Receipt(f.b(), 1, Receipt.State.DELIVERED));
    a2.c().send(new Ack(first.seq()));
    a2.c().send(new SendMessage(f.a(), f.b(), "two", 2));
    a2.c().awaitMatching(ErrorResponse.class, e -> e.cmd() == CommandType.C_SEND_MSG.value());
    b.c().send(new Ack(b.c().awaitMatching(StoredPush.class, p -> true).seq()));
    StoredPush second = a2.c().awaitMatching(StoredPush.class, p -> p.item() instanceof Receipt);
    assertThat(second.item()).isEqualTo(new Receipt(f.b(), 2, Receipt.State.DELIVERED));
    assertThat(second.seq()).isGreaterThan(first.seq());
  }

  @Test
  void receiptsWaitForTheSendersNextLoginThatAsksForThem() throws IOException {
    LoggedInFriends f = withOfflineB("rw");
    f.ca().close();
    Opted a = optIn(f.a(), ALL);
    a.c().send(new SendMessage(f.a(), f.b(), "hi", 1));
    a.c().expectError(0, CommandType.C_SEND_MSG);
    a.c().close();

    Opted b = optIn(f.b(), Set.of(Feature.ACKS));
    b.c().send(new Ack(b.c().expect(StoredPush.class).seq()));
    // A's sign-out may be announced after B's login, if its session was still ending then.
    b.c().expectSilenceExcept(QUIET, m -> m.equals(new StatusNotifyPush(f.a(), Presence.OFFLINE)));

    // A legacy login of the sender sees no receipt; an opted-in one does.
    FrameClient legacy = server.login(f.a());
    legacy.expectSilence(QUIET);
    legacy.close();
    Opted a2 = optIn(f.a(), ALL);
    StoredPush r = a2.c().awaitMatching(StoredPush.class, p -> p.item() instanceof Receipt);
    assertThat(r.item()).isEqualTo(new Receipt(f.b(), 1, Receipt.State.DELIVERED));
  }
}
