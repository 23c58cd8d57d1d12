package imps.client;

import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.CommandType;
import imps.protocol.Feature;
import imps.protocol.Gender;
import imps.protocol.message.Hello;
import imps.protocol.message.HelloResponse;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.LoginResponse;
import imps.protocol.message.MessagePush;
import imps.protocol.message.StoredPush;
import imps.server.config.ServerConfig;
import imps.testsupport.FrameClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK's side of lossless delivery against a real server, with a relay that drops connections
 * and loses replies: opt-in by default, acknowledgement after the listener returns, repeats
 * dropped, resume with the session token (and the password when the token is refused), sends
 * retried with the same id after a lost acknowledgement, receipts, the legacy option.
 */
class LosslessDeliveryIT {
  static final String PW = "secret1";
  static final AtomicInteger SEQ = new AtomicInteger();
  static final ReconnectPolicy FAST =
      ReconnectPolicy.exponential(Duration.ofMillis(50), Duration.ofMillis(200));

  @TempDir static Path dir;
  static TestServer server;
  static CuttingProxy proxy;

  final List<ImpsClient> clients = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    // One session token per user: a second login revokes the first one's token.
    server = new TestServer(dir, b -> b.with(ServerConfig.Key.SESSION_TOKENS_PER_USER, 1));
    proxy = new CuttingProxy(server.port());
  }

  @AfterAll
  static void stop() throws Exception {
    proxy.close();
    server.close();
  }

  @AfterEach
  void closeClients() {
    clients.forEach(ImpsClient::close);
    proxy.swallowReplies(false);
    proxy.open();
  }

  static String name(String base) {
    return base + SEQ.incrementAndGet();
  }

  /** A client connected to the server directly ({@code viaProxy} false) or through the relay. */
  ImpsClient client(ImpsListener rec, boolean viaProxy, ClientOptions.Builder options) {
    ImpsClient c =
        new ImpsClient(
            options
                .port(viaProxy ? proxy.port() : server.port())
                .requestTimeout(Duration.ofSeconds(5))
                .build(),
            rec);
    clients.add(c);
    c.connect().join();
    return c;
  }

  ImpsClient client(ImpsListener rec, boolean viaProxy) {
    return client(rec, viaProxy, ClientOptions.builder().reconnect(FAST));
  }

  /** Two registered friends; returns their names. */
  String[] friends(String a, String b) throws Exception {
    Recorder ra = new Recorder();
    Recorder rb = new Recorder();
    ImpsClient ca = client(ra, false);
    ImpsClient cb = client(rb, false);
    ClientsOnServer.befriend(ca, ra, cb, rb, a, b);
    ca.logout().join();
    cb.logout().join();
    return new String[] {a, b};
  }

  /** No {@code type} event within {@code millis}. */
  static void expectNo(Recorder rec, Class<?> type, long millis) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    for (long left = millis;
        left > 0;
        left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())) {
      Object o = rec.poll(left);
      if (o == null) {
        return;
      }
      assertThat(o).as("unexpected event").isNotInstanceOf(type);
    }
  }

  @Test
  void optsInByDefaultAcknowledgesAndReportsReceipts() throws Exception {
    String[] f = friends(name("ra"), name("rb"));
    Recorder ra = new Recorder();
    Recorder rb = new Recorder();
    ImpsClient a = client(ra, false);
    a.login(f[0], PW).join();
    assertThat(a.extensions())
        .containsExactlyInAnyOrder(
            Feature.ACKS,
            Feature.IDEMPOTENT_SENDS,
            Feature.RECEIPTS,
            Feature.SOCIAL,
            Feature.HISTORY,
            Feature.LIVE_LOCATIONS,
            Feature.TRACKS,
            Feature.UNREAD);
    // Sent while b is offline: stored, then delivered at b's login.
    long id = a.sendMessage(f[1], "hello").join();
    assertThat(id).isPositive();
    long id2 = a.sendMessage(f[1], "again").join();
    assertThat(id2).isGreaterThan(id);

    ImpsClient b = client(rb, false);
    b.login(f[1], PW).join();
    ReceivedMessage m1 = rb.await(ReceivedMessage.class);
    ReceivedMessage m2 = rb.await(ReceivedMessage.class);
    assertThat(m1.text()).isEqualTo("hello");
    assertThat(m2.seq()).isEqualTo(m1.seq() + 1);
    // b's client acknowledged both after its listener returned: a learns they were delivered.
    MessageReceipt delivered = ra.await(MessageReceipt.class, r -> r.upToMessageId() == id2);
    assertThat(delivered.status()).isEqualTo(MessageReceipt.Status.DELIVERED);
    assertThat(delivered.covers(f[1], id)).isTrue();

    b.markRead(m2).join();
    MessageReceipt read =
        ra.await(MessageReceipt.class, r -> r.status() == MessageReceipt.Status.READ);
    assertThat(read.upToMessageId()).isEqualTo(id2);

    // Acknowledged means delivered: the next login of b gets nothing again.
    b.close();
    Recorder rb2 = new Recorder();
    client(rb2, false).login(f[1], PW).join();
    expectNo(rb2, ReceivedMessage.class, 500);
  }

  @Test
  void theLegacyOptionSpeaksTheSheet() throws Exception {
    String[] f = friends(name("la"), name("lb"));
    Recorder ra = new Recorder();
    Recorder rb = new Recorder();
    ImpsClient a = client(ra, true, ClientOptions.builder().legacy(true));
    a.login(f[0], PW).join();
    assertThat(a.extensions()).isEmpty();
    assertThat(a.sendMessage(f[1], "plain").join()).isZero();
    ImpsClient b = client(rb, false, ClientOptions.builder().legacy(true));
    b.login(f[1], PW).join();
    ReceivedMessage m = rb.await(ReceivedMessage.class);
    assertThat(m.text()).isEqualTo("plain");
    assertThat(m.seq()).isZero();
    // Nothing of the extension went over the wire.
    assertThat(proxy.commandsSent().get(proxy.commandsSent().size() - 1))
        .allMatch(cmd -> cmd < CommandType.FIRST_EXTENSION)
        .contains(CommandType.C_LOGIN_REQ.value(), CommandType.C_SEND_MSG.value());
  }

  @Test
  void anItemIsAcknowledgedOnlyOnceTheListenerReturnedAndRepeatsAreDropped() throws Exception {
    String[] f = friends(name("da"), name("db"));
    ImpsClient a = client(new Recorder(), false);
    a.login(f[0], PW).join();
    a.sendMessage(f[1], "slow").join();
    a.sendMessage(f[1], "next").join();

    CountDownLatch inCallback = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Recorder rb = new Recorder();
    List<String> seen = new CopyOnWriteArrayList<>();
    ImpsListener slow =
        new ImpsListener() {
          @Override
          public void onMessage(ReceivedMessage m) {
            seen.add(m.text());
            if (m.text().equals("slow")) {
              inCallback.countDown();
              try {
                release.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            rb.onMessage(m);
          }

          @Override
          public void onReconnected(Account login) {
            rb.onReconnected(login);
          }
        };
    ImpsClient b = client(slow, true);
    b.login(f[1], PW).join();
    assertThat(inCallback.await(10, TimeUnit.SECONDS)).isTrue();
    // The connection drops while the listener still holds "slow".
    proxy.cut(true);

    // Nothing was acknowledged: another opted-in login of b gets both again (and, one token per
    // user, revokes the token of b's client). It acknowledges nothing.
    try (FrameClient other = FrameClient.connect(server.port())) {
      other.send(new Hello(1, Set.of(Feature.ACKS)));
      other.expect(HelloResponse.class);
      other.send(new LoginRequest(f[1], PW));
      other.expect(LoginResponse.class);
      assertThat(((MessagePush) other.expect(StoredPush.class).item()).message()).isEqualTo("slow");
      assertThat(((MessagePush) other.expect(StoredPush.class).item()).message()).isEqualTo("next");
    }

    // b's client comes back: its token is refused, it logs in with the password, the server sends
    // both again, and the client passes neither on a second time but acknowledges them.
    release.countDown();
    proxy.open();
    rb.await(Recorder.Reconnected.class);
    expectNo(rb, ReceivedMessage.class, 400);
    assertThat(seen).containsExactly("slow", "next");
    List<List<Integer>> cmds = proxy.commandsSent();
    assertThat(cmds.get(cmds.size() - 1))
        .contains(
            CommandType.C_RESUME.value(),
            CommandType.C_LOGIN_REQ.value(),
            CommandType.C_ACK.value());

    // Acknowledged now: a new login of b gets nothing.
    b.close();
    Recorder rb2 = new Recorder();
    client(rb2, false).login(f[1], PW).join();
    expectNo(rb2, ReceivedMessage.class, 500);
  }

  @Test
  void resumingCarriesWhatTheListenerHad() throws Exception {
    String[] f = friends(name("ca"), name("cb"));
    Recorder ra = new Recorder();
    ImpsClient a = client(ra, false);
    a.login(f[0], PW).join();
    Recorder rb = new Recorder();
    ImpsClient b = client(rb, true);
    b.login(f[1], PW).join();
    long id = a.sendMessage(f[1], "before the drop").join();
    ReceivedMessage m = rb.await(ReceivedMessage.class);
    ra.await(MessageReceipt.class, r -> r.upToMessageId() == id);
    proxy.cut(false);
    rb.await(Recorder.Reconnected.class);
    long id2 = a.sendMessage(f[1], "after").join();
    assertThat(rb.await(ReceivedMessage.class).seq()).isEqualTo(m.seq() + 1);
    ra.await(MessageReceipt.class, r -> r.upToMessageId() == id2);
    List<List<Integer>> cmds = proxy.commandsSent();
    assertThat(cmds.get(cmds.size() - 1))
        .contains(CommandType.C_HELLO.value(), CommandType.C_RESUME.value())
        .doesNotContain(CommandType.C_LOGIN_REQ.value());
  }

  @Test
  void aRefusedTokenFallsBackToThePassword() throws Exception {
    String user = name("tk");
    Recorder rec = new Recorder();
    ImpsClient c = client(rec, true);
    c.register(user, PW, Gender.UNSPECIFIED, "").join();
    c.login(user, PW).join();
    proxy.cut(true);
    rec.await(Recorder.Disconnected.class);
    // Meanwhile the user logs in elsewhere, which revokes this client's token (one per user).
    ImpsClient other = client(new Recorder(), false);
    other.login(user, PW).join();
    other.close();
    proxy.open();
    assertThat(rec.await(Recorder.Reconnected.class).login().userName()).isEqualTo(user);
    List<List<Integer>> cmds = proxy.commandsSent();
    List<Integer> last = cmds.get(cmds.size() - 1);
    assertThat(last.indexOf(CommandType.C_RESUME.value()))
        .isNotNegative()
        .isLessThan(last.indexOf(CommandType.C_LOGIN_REQ.value()));
    assertThat(c.friends().join()).isEmpty();
  }

  @Test
  void aSendWhoseAcknowledgementWasLostIsRetriedWithTheSameIdAndStoredOnce() throws Exception {
    String[] f = friends(name("ia"), name("ib"));
    Recorder rb = new Recorder();
    ImpsClient b = client(rb, false);
    b.login(f[1], PW).join();
    Recorder ra = new Recorder();
    ImpsClient a = client(ra, true);
    a.login(f[0], PW).join();

    // The server stores and pushes the message, but its acknowledgement never reaches a.
    proxy.swallowReplies(true);
    CompletableFuture<Long> sent = a.sendMessage(f[1], "exactly once");
    assertThat(rb.await(ReceivedMessage.class).text()).isEqualTo("exactly once");
    assertThat(sent).isNotDone();
    proxy.swallowReplies(false);
    proxy.cut(false);
    // After the reconnection the send goes again with the same id and is acknowledged.
    long id = sent.get(10, TimeUnit.SECONDS);
    assertThat(id).isPositive();
    expectNo(rb, ReceivedMessage.class, 500);
    List<List<Integer>> cmds = proxy.commandsSent();
    assertThat(cmds.get(cmds.size() - 1)).contains(CommandType.C_SEND_MSG.value());

    // A send made while the connection is down waits for it.
    proxy.cut(true);
    ra.await(Recorder.Disconnected.class);
    CompletableFuture<Long> waiting = a.sendMessage(f[1], "while away");
    assertThat(waiting).isNotDone();
    proxy.open();
    assertThat(waiting.get(10, TimeUnit.SECONDS)).isGreaterThan(id);
    assertThat(rb.await(ReceivedMessage.class).text()).isEqualTo("while away");
    MessageReceipt r = ra.await(MessageReceipt.class, x -> x.upToMessageId() == waiting.join());
    assertThat(r.status()).isEqualTo(MessageReceipt.Status.DELIVERED);
  }

  @Test
  void sendsStillWaitingFailWhenTheClientStopsTrying() throws Exception {
    String[] f = friends(name("wa"), name("wb"));
    Recorder ra = new Recorder();
    ImpsClient a = client(ra, true);
    a.login(f[0], PW).join();
    proxy.cut(true);
    ra.await(Recorder.Disconnected.class);
    CompletableFuture<Long> waiting = a.sendMessage(f[1], "never");
    a.close();
    assertThat(ResilienceIT.failure(waiting)).isInstanceOf(ImpsConnectionException.class);
  }
}
