package imps.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import imps.protocol.ErrorCode;
import imps.protocol.Feature;
import imps.protocol.Gender;
import imps.protocol.Presence;
import imps.protocol.message.LocationFix;
import imps.server.config.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SDK against a real in-process server: every command, the pushes, errors. */
class ImpsClientIT {
  static final String PW = "secret1";
  static final AtomicInteger SEQ = new AtomicInteger();

  @TempDir static Path dir;
  static TestServer server;

  final List<ImpsClient> clients = new ArrayList<>();

  @BeforeAll
  static void startServer() {
    server = new TestServer(dir);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @AfterEach
  void closeClients() {
    clients.forEach(ImpsClient::close);
  }

  static String name(String base) {
    return base + SEQ.incrementAndGet();
  }

  ImpsClient client(Recorder rec) {
    ImpsClient c =
        new ImpsClient(
            ClientOptions.builder()
                .port(server.port())
                .requestTimeout(Duration.ofSeconds(5))
                .build(),
            rec);
    clients.add(c);
    c.connect().join();
    return c;
  }

  /** Registers {@code user} and returns a client logged in as it. */
  ImpsClient loggedIn(String user, Recorder rec) {
    ImpsClient c = client(rec);
    assertThat(c.register(user, PW, Gender.UNSPECIFIED, "").join()).isTrue();
    c.login(user, PW).join();
    return c;
  }

  /** Makes two logged-in users friends. */
  void befriend(ImpsClient a, Recorder ra, ImpsClient b, Recorder rb) throws Exception {
    assertThat(a.addFriend(b.userName()).join().outcome()).isEqualTo(AddFriendResult.Outcome.SENT);
    rb.await(Recorder.FriendRequest.class);
    b.answerFriendRequest(a.userName(), true).join();
    ra.await(FriendRequestOutcome.class, r -> r.result() == FriendRequestOutcome.Result.ACCEPTED);
  }

  static ErrorCode errorOf(CompletableFuture<?> f) {
    Throwable t = catchThrowable(f);
    assertThat(ImpsClientException.unwrap(t)).isInstanceOf(ImpsRefusedException.class);
    return ((ImpsRefusedException) ImpsClientException.unwrap(t)).errorCode();
  }

  static Throwable catchThrowable(CompletableFuture<?> f) {
    try {
      f.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      return e;
    }
    throw new AssertionError("future succeeded");
  }

  @Test
  void registerAndLogin() {
    Recorder rec = new Recorder();
    ImpsClient c = client(rec);
    String user = name("Reg");
    assertThat(c.register(user, PW, Gender.FEMALE, "r@example.org").join()).isTrue();
    assertThat(c.register(user.toLowerCase(), PW, Gender.FEMALE, "").join()).isFalse();
    assertThat(errorOf(c.register("bad name", PW, Gender.UNSPECIFIED, "")))
        .isEqualTo(ErrorCode.MALFORMED);
    assertThat(errorOf(c.friends())).isEqualTo(ErrorCode.NOT_LOGGED_IN);
    assertThat(errorOf(c.login(user, "wrong-password"))).isEqualTo(ErrorCode.BAD_CREDENTIALS);

    Account rsp = c.login(user.toUpperCase(), PW).join();
    assertThat(rsp).isEqualTo(new Account(user, Gender.FEMALE, "r@example.org", Presence.ONLINE));
    assertThat(c.userName()).isEqualTo(user);
    assertThat(c.state()).isEqualTo(ImpsClient.State.LOGGED_IN);
    assertThat(errorOf(c.login(user, PW))).isEqualTo(ErrorCode.ALREADY_LOGGED_IN);
    assertThat(c.friends().join()).isEmpty();
  }

  @Test
  void unfriendEndsMessagesAndTellsTheFormerFriend() throws Exception {
    Recorder ra = new Recorder();
    Recorder rb = new Recorder();
    ImpsClient a = loggedIn(name("Unf"), ra);
    ImpsClient b = loggedIn(name("Unf"), rb);
    befriend(a, ra, b, rb);
    assertThat(a.extensions()).contains(Feature.SOCIAL);
    a.unfriend(b.userName()).join();
    assertThat(rb.await(Recorder.FriendRemoved.class).friend()).isEqualTo(a.userName());
    assertThat(a.friends().join()).isEmpty();
    assertThat(b.friends().join()).isEmpty();
    assertThat(errorOf(b.sendMessage(a.userName(), "hello?"))).isEqualTo(ErrorCode.NOT_FRIENDS);
    assertThat(errorOf(a.unfriend(name("Nobody")))).isEqualTo(ErrorCode.NO_SUCH_USER);
  }

  @Test
  void blockUnfriendsAndIsListed() throws Exception {
    Recorder ra = new Recorder();
    Recorder rb = new Recorder();
    ImpsClient a = loggedIn(name("Blk"), ra);
    ImpsClient b = loggedIn(name("Blk"), rb);
    befriend(a, ra, b, rb);
    a.block(b.userName()).join();
    assertThat(rb.await(Recorder.FriendRemoved.class).friend()).isEqualTo(a.userName());
    assertThat(a.blocked().join()).containsExactly(b.userName());
    assertThat(errorOf(b.sendMessage(a.userName(), "hm"))).isEqualTo(ErrorCode.NOT_FRIENDS);
    assertThat(b.addFriend(a.userName()).join().outcome()).isEqualTo(AddFriendResult.Outcome.SENT);
    a.unblock(b.userName()).join();
    assertThat(a.blocked().join()).isEmpty();
    assertThat(a.friends().join()).isEmpty();
  }

  @Test
  void changePasswordNeedsTheCurrentOne() throws Exception {
    Recorder rec = new Recorder();
    String user = name("Pwd");
    ImpsClient c = loggedIn(user, rec);
    assertThat(errorOf(c.changePassword("wrong-password", "n3w-secret")))
        .isEqualTo(ErrorCode.BAD_CREDENTIALS);
    c.changePassword(PW, "n3w-secret").join();
    assertThat(c.friends().join()).isEmpty();
    ImpsClient other = client(new Recorder());
    assertThat(errorOf(other.login(user, PW))).isEqualTo(ErrorCode.BAD_CREDENTIALS);
    other.login(user, "n3w-secret").join();
    assertThat(other.userName()).isEqualTo(user);
  }

  @Test
  void deleteAccountTellsFriendsAndFreesTheName() throws Exception {
    Recorder ra = new Recorder();
    Recorder rb = new Recorder();
    ImpsClient a = loggedIn(name("Del"), ra);
    ImpsClient b = loggedIn(name("Del"), rb);
    befriend(a, ra, b, rb);
    assertThat(errorOf(a.deleteAccount("wrong-password"))).isEqualTo(ErrorCode.BAD_CREDENTIALS);
    a.deleteAccount(PW).join();
    assertThat(rb.await(Recorder.FriendRemoved.class).friend()).isEqualTo(a.userName());
    assertThat(b.friends().join()).isEmpty();
    ra.await(Recorder.Disconnected.class, d -> !d.reconnecting());
    ImpsClient again = client(new Recorder());
    assertThat(again.register(a.userName(), "other-pw", Gender.UNSPECIFIED, "").join()).isTrue();
  }

  @Test
  void friendRequestsAcceptRejectAndImmediateOutcomes() throws Exception {
    Recorder ra = new Recorder();
    Recorder rb = new Recorder();
    Recorder rc = new Recorder();
    ImpsClient a = loggedIn(name("amy"), ra);
    ImpsClient b = loggedIn(name("ben"), rb);
    ImpsClient c = loggedIn(name("cat"), rc);

    assertThat(a.addFriend(b.userName()).join())
        .isEqualTo(new AddFriendResult(AddFriendResult.Outcome.SENT, b.userName(), null));
    assertThat(rb.await(Recorder.FriendRequest.class).from()).isEqualTo(a.userName());
    b.answerFriendRequest(a.userName(), true).join();
    assertThat(ra.await(FriendRequestOutcome.class).user()).isEqualTo(b.userName());
    assertThat(rb.await(FriendRequestOutcome.class).user()).isEqualTo(a.userName());

    // Already friends: the immediate S_ADDFRIEND_RSP(1) is the reply, not a push.
    AddFriendResult again = a.addFriend(b.userName().toLowerCase()).join();
    assertThat(again.outcome()).isEqualTo(AddFriendResult.Outcome.FRIENDS);
    assertThat(again.friend().name()).isEqualTo(b.userName());
    assertThat(again.friend().status()).isEqualTo(Presence.ONLINE);

    String ghost = name("ghost");
    assertThat(a.addFriend(ghost).join())
        .isEqualTo(new AddFriendResult(AddFriendResult.Outcome.NO_SUCH_USER, ghost, null));
    assertThat(errorOf(a.addFriend(a.userName()))).isEqualTo(ErrorCode.MALFORMED);

    // Rejection reaches the requester as a push.
    assertThat(c.addFriend(a.userName()).join().outcome()).isEqualTo(AddFriendResult.Outcome.SENT);
    ra.await(Recorder.FriendRequest.class, r -> r.from().equals(c.userName()));
    a.answerFriendRequest(c.userName(), false).join();
    FriendRequestOutcome refused = rc.await(FriendRequestOutcome.class);
    assertThat(refused.result()).isEqualTo(FriendRequestOutcome.Result.DECLINED);
    assertThat(refused.user()).isEqualTo(a.userName());
    assertThat(errorOf(a.answerFriendRequest(c.userName(), true)))
        .isEqualTo(ErrorCode.NOT_PERMITTED);

    // Mutual requests: the second asker is answered with S_ADDFRIEND_RSP(1) at once.
    assertThat(b.addFriend(c.userName()).join().outcome()).isEqualTo(AddFriendResult.Outcome.SENT);
    rc.await(Recorder.FriendRequest.class, r -> r.from().equals(b.userName()));
    assertThat(c.addFriend(b.userName()).join().outcome())
        .isEqualTo(AddFriendResult.Outcome.FRIENDS);
    rb.await(
        FriendRequestOutcome.class,
        r -> r.result() == FriendRequestOutcome.Result.ACCEPTED && r.user().equals(c.userName()));

    assertThat(a.friends().join()).extracting(Friend::name).containsExactly(b.userName());
    assertThat(b.friends().join())
        .extracting(Friend::name)
        .containsExactlyInAnyOrder(a.userName(), c.userName());
  }

  @Test
  void messagesAndVoiceClips() throws Exception {
    Recorder ra = new Recorder();
    Recorder rb = new Recorder();
    ImpsClient a = loggedIn(name("ann"), ra);
    ImpsClient b = loggedIn(name("bob"), rb);
    assertThat(errorOf(a.sendMessage(b.userName(), "hi"))).isEqualTo(ErrorCode.NOT_FRIENDS);
    assertThat(errorOf(a.sendMessage(name("nobody"), "hi"))).isEqualTo(ErrorCode.NO_SUCH_USER);
    befriend(a, ra, b, rb);

    a.sendMessage(b.userName(), "hi 你好 😀").join();
    ReceivedMessage m = rb.await(ReceivedMessage.class);
    assertThat(m.sender()).isEqualTo(a.userName());
    assertThat(m.text()).isEqualTo("hi 你好 😀");
    assertThat(m.acceptedAt()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
    assertThat(errorOf(a.sendMessage(b.userName(), ""))).isEqualTo(ErrorCode.MALFORMED);

    byte[] clip = new byte[40_000];
    for (int i = 0; i < clip.length; i++) {
      clip[i] = (byte) (i * 31);
    }
    a.sendVoice(b.userName(), clip).join();
    ReceivedClip v = rb.await(ReceivedClip.class);
    assertThat(v.sender()).isEqualTo(a.userName());
    assertThat(v.clip()).isEqualTo(clip);

    // Many requests from many threads: each future gets its own reply.
    List<CompletableFuture<?>> all = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      int n = i;
      all.add(
          CompletableFuture.runAsync(() -> a.sendMessage(b.userName(), "m" + n).join())
              .thenCompose(x -> a.friends()));
      all.add(a.heartbeat(List.of()));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
  }

  @Test
  void storedMessagesArriveAfterLogin() throws Exception {
    Recorder ra = new Recorder();
    Recorder rb = new Recorder();
    ImpsClient a = loggedIn(name("sam"), ra);
    ImpsClient b = loggedIn(name("sue"), rb);
    befriend(a, ra, b, rb);
    String bob = b.userName();
    b.logout().join();
    a.sendMessage(bob, "one").join();
    a.sendMessage(bob, "two").join();

    Recorder rb2 = new Recorder();
    ImpsClient b2 = client(rb2);
    b2.login(bob, PW).join();
    assertThat(rb2.await(ReceivedMessage.class).text()).isEqualTo("one");
    assertThat(rb2.await(ReceivedMessage.class).text()).isEqualTo("two");
  }

  @Test
  void presenceHeartbeatAndLogout() throws Exception {
    Recorder ra = new Recorder();
    Recorder rb = new Recorder();
    ImpsClient a = loggedIn(name("pia"), ra);
    ImpsClient b = loggedIn(name("pat"), rb);
    befriend(a, ra, b, rb);

    b.heartbeat(
            List.of(
                new LocationFix("2026-11-28 12:00:00", "23.13,113.26"),
                new LocationFix("2026-11-28 12:00:30", "23.131, 113.262")))
        .join();
    Friend seen = a.friends().join().get(0);
    assertThat(seen.position()).isEqualTo(new Position(23.131, 113.262));
    assertThat(seen.positionTime()).isEqualTo("2026-11-28 12:00:30");
    assertThat(errorOf(b.heartbeat(List.of(new LocationFix("2026-11-28 12:00:00", "91,0")))))
        .isEqualTo(ErrorCode.MALFORMED);

    b.setStatus(Presence.INVISIBLE).join();
    assertThat(ra.await(Recorder.PresenceChange.class).presence()).isEqualTo(Presence.OFFLINE);
    assertThat(a.friends().join().get(0).status()).isEqualTo(Presence.OFFLINE);
    b.setStatus(Presence.ONLINE).join();
    assertThat(ra.await(Recorder.PresenceChange.class).presence()).isEqualTo(Presence.ONLINE);

    b.logout().join();
    assertThat(ra.await(Recorder.PresenceChange.class))
        .isEqualTo(new Recorder.PresenceChange(b.userName(), Presence.OFFLINE));
    rb.await(Recorder.Disconnected.class, d -> !d.reconnecting());
    assertThat(b.state()).isEqualTo(ImpsClient.State.DISCONNECTED);
    assertThatThrownBy(() -> b.friends().join()).hasCauseInstanceOf(ImpsConnectionException.class);
  }

  @Test
  void loggedInElsewhereIsReportedAndNotFoughtBack() throws Exception {
    Recorder r1 = new Recorder();
    String user = name("twin");
    ImpsClient first =
        new ImpsClient(
            ClientOptions.builder()
                .port(server.port())
                .reconnect(
                    ReconnectPolicy.exponential(Duration.ofMillis(50), Duration.ofMillis(100)))
                .build(),
            r1);
    clients.add(first);
    first.connect().join();
    first.register(user, PW, Gender.UNSPECIFIED, "").join();
    first.login(user, PW).join();

    Recorder r2 = new Recorder();
    ImpsClient second = client(r2);
    second.login(user, PW).join();
    r1.await(Recorder.Kicked.class);
    assertThat(r1.await(Recorder.Disconnected.class).reconnecting()).isFalse();
    assertThat(first.state()).isEqualTo(ImpsClient.State.DISCONNECTED);
    // The newer session is unaffected.
    Thread.sleep(300);
    assertThat(second.friends().join()).isEmpty();
  }

  @Test
  void clipsAndTextsOverTheLimitsAreRefusedBeforeSendingAndTheConnectionStays() throws Exception {
    Recorder ra = new Recorder();
    Recorder rb = new Recorder();
    ImpsClient a = loggedIn(name("lim"), ra);
    ImpsClient b = loggedIn(name("its"), rb);
    befriend(a, ra, b, rb);

    // Over the server's default max-audio-bytes (61440), at the frame limit, and well over it.
    for (int size : new int[] {61_441, 65_536, 70_000}) {
      Throwable t =
          ImpsClientException.unwrap(catchThrowable(a.sendVoice(b.userName(), new byte[size])));
      assertThat(t)
          .as("clip of %d bytes", size)
          .isInstanceOf(ImpsInvalidRequestException.class)
          .hasMessage("the clip is larger than 61440 bytes");
      assertThat(((ImpsInvalidRequestException) t).limit()).isEqualTo(61_440);
    }
    Throwable longText =
        ImpsClientException.unwrap(catchThrowable(a.sendMessage(b.userName(), "x".repeat(4097))));
    assertThat(longText)
        .isInstanceOf(ImpsInvalidRequestException.class)
        .hasMessage("the message is longer than 4096 characters");

    // Nothing was sent, and the connection carries on: the largest clip goes through.
    a.sendVoice(b.userName(), new byte[61_440]).join();
    assertThat(rb.await(ReceivedClip.class).size()).isEqualTo(61_440);
    a.sendMessage(b.userName(), "y".repeat(4096)).join();
    assertThat(rb.await(ReceivedMessage.class).text()).hasSize(4096);
  }

  @Test
  void everyClipSizeFromTheLimitToBeyondOneFrameIsRefusedCleanly() throws Exception {
    Recorder ra = new Recorder();
    Recorder rb = new Recorder();
    ImpsClient a = loggedIn(name("sweep"), ra);
    ImpsClient b = loggedIn(name("sizes"), rb);
    befriend(a, ra, b, rb);
    // Every size from one over the server's default limit to beyond what one frame can carry:
    // refused in the client, nothing sent, whatever the size.
    for (int size = 61_441; size <= 70_000; size++) {
      Throwable t =
          ImpsClientException.unwrap(catchThrowable(a.sendVoice(b.userName(), new byte[size])));
      if (!(t instanceof ImpsInvalidRequestException e) || e.limit() != 61_440) {
        throw new AssertionError("a clip of " + size + " bytes: " + t, t);
      }
    }
    a.sendVoice(b.userName(), new byte[61_440]).join();
    assertThat(rb.await(ReceivedClip.class).size()).isEqualTo(61_440);
  }

  @Test
  void theLimitsTheServerAnnouncesAreTheOnesTheClientChecks() throws Exception {
    // A server with lower limits than the defaults, and one with the highest clip limit: the
    // client follows what each announces at login (S_HELLO), without being told.
    try (TestServer low =
            new TestServer(
                dir.resolve("low"),
                s ->
                    s.with(ServerConfig.Key.MAX_AUDIO_BYTES, 30_000)
                        .with(ServerConfig.Key.MAX_MESSAGE_CHARS, 100));
        TestServer high =
            new TestServer(
                dir.resolve("high"), s -> s.with(ServerConfig.Key.MAX_AUDIO_BYTES, 65_000))) {
      ImpsClient[] lowPair = friendsOn(low, "low");
      Throwable clip =
          ImpsClientException.unwrap(
              catchThrowable(lowPair[0].sendVoice(lowPair[1].userName(), new byte[30_001])));
      assertThat(clip)
          .isInstanceOf(ImpsInvalidRequestException.class)
          .hasMessage("the clip is larger than 30000 bytes");
      Throwable text =
          ImpsClientException.unwrap(
              catchThrowable(lowPair[0].sendMessage(lowPair[1].userName(), "x".repeat(101))));
      assertThat(text)
          .isInstanceOf(ImpsInvalidRequestException.class)
          .hasMessage("the message is longer than 100 characters");
      lowPair[0].sendVoice(lowPair[1].userName(), new byte[30_000]).join();
      lowPair[0].sendMessage(lowPair[1].userName(), "x".repeat(100)).join();

      ImpsClient[] highPair = friendsOn(high, "high");
      highPair[0].sendVoice(highPair[1].userName(), new byte[65_000]).join();
      Throwable over =
          ImpsClientException.unwrap(
              catchThrowable(highPair[0].sendVoice(highPair[1].userName(), new byte[65_001])));
      assertThat(over)
          .isInstanceOf(ImpsInvalidRequestException.class)
          .hasMessage("the clip is larger than 65000 bytes");
    }
  }

  /** Two users registered and logged in on {@code s} with default options, and friends. */
  ImpsClient[] friendsOn(TestServer s, String base) throws Exception {
    ImpsClient[] pair = new ImpsClient[2];
    Recorder[] recs = {new Recorder(), new Recorder()};
    for (int i = 0; i < 2; i++) {
      ImpsClient c = new ImpsClient(ClientOptions.builder().port(s.port()).build(), recs[i]);
      clients.add(c);
      c.connect().join();
      String user = name(base);
      assertThat(c.register(user, PW, Gender.UNSPECIFIED, "").join()).isTrue();
      c.login(user, PW).join();
      pair[i] = c;
    }
    befriend(pair[0], recs[0], pair[1], recs[1]);
    return pair;
  }

  @Test
  void aClipThatCannotFitOneFrameIsRefusedWhateverTheConfiguredLimit() throws Exception {
    // The server's highest clip limit (which it announces) and the client's: still too large for
    // one frame with a long name.
    try (TestServer high =
        new TestServer(
            dir.resolve("frame"), b -> b.with(ServerConfig.Key.MAX_AUDIO_BYTES, 65_000))) {
      ImpsClient c =
          new ImpsClient(
              ClientOptions.builder().port(high.port()).maxAudioBytes(65_000).build(),
              new Recorder());
      clients.add(c);
      c.connect().join();
      String user = name("wide");
      c.register(user, PW, Gender.UNSPECIFIED, "").join();
      c.login(user, PW).join();
      // 65535 content bytes: CMDTYPE, name (2 + 600), clip (4 + n), time (2 + 19), and the client
      // message id (8) of idempotent sends.
      String longName = "n".repeat(600);
      Throwable t =
          ImpsClientException.unwrap(catchThrowable(c.sendVoice(longName, new byte[65_000])));
      assertThat(t)
          .isInstanceOf(ImpsInvalidRequestException.class)
          .hasMessage(
              "the clip is larger than " + (65_535 - 1 - 2 - 600 - 4 - 2 - 19 - 8) + " bytes");
      assertThat(c.friends().join()).isEmpty();
    }
  }

  @Test
  void loginIsAnnouncedBeforeTheStoredMessagesThatFollowIt() throws Exception {
    Recorder ra = new Recorder();
    Recorder rb = new Recorder();
    ImpsClient a = loggedIn(name("early"), ra);
    ImpsClient b = loggedIn(name("late"), rb);
    befriend(a, ra, b, rb);
    String bob = b.userName();
    b.logout().join();
    a.sendMessage(bob, "stored 1").join();
    a.sendMessage(bob, "stored 2").join();

    Recorder rb2 = new Recorder();
    ImpsClient b2 = client(rb2);
    b2.login(bob, PW).join();
    assertThat(rb2.poll(5000))
        .isEqualTo(
            new Recorder.LoggedIn(new Account(bob, Gender.UNSPECIFIED, "", Presence.ONLINE)));
    assertThat(rb2.await(ReceivedMessage.class).text()).isEqualTo("stored 1");
    assertThat(rb2.await(ReceivedMessage.class).text()).isEqualTo("stored 2");
  }

  @Test
  void sharedPositionsAndTheConnectFailureReadWell() throws Exception {
    Recorder ra = new Recorder();
    Recorder rb = new Recorder();
    ImpsClient a = loggedIn(name("geo"), ra);
    ImpsClient b = loggedIn(name("loc"), rb);
    befriend(a, ra, b, rb);
    b.shareLocation(new Position(23.13, 113.26)).join();
    Friend seen = a.friends().join().get(0);
    assertThat(seen.position()).isEqualTo(new Position(23.13, 113.26));
    assertThat(seen.positionTime()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");

    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    try (ImpsClient down =
        new ImpsClient(ClientOptions.builder().port(closedPort).build(), new Recorder())) {
      assertThat(ImpsClientException.unwrap(catchThrowable(down.connect())))
          .isInstanceOf(ImpsConnectionException.class)
          .hasMessage("cannot connect to 127.0.0.1:" + closedPort + ": connection refused");
    }
  }
}
