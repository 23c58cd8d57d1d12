package imps.server.transport.web;

import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.CommandType;
import imps.protocol.ErrorCode;
import imps.protocol.Gender;
import imps.protocol.Presence;
import imps.protocol.message.AddFriendAnswer;
import imps.protocol.message.AddFriendRequest;
import imps.protocol.message.AddFriendResponse;
import imps.protocol.message.AudioPush;
import imps.protocol.message.AudioRequest;
import imps.protocol.message.ClipBytes;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.FriendRequestPush;
import imps.protocol.message.HeartbeatRequest;
import imps.protocol.message.HeartbeatResponse;
import imps.protocol.message.LocationFix;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.LoginResponse;
import imps.protocol.message.MessagePush;
import imps.protocol.message.RegisterRequest;
import imps.protocol.message.RegisterResponse;
import imps.protocol.message.SendMessage;
import imps.protocol.message.StatusNotifyPush;
import imps.server.ServerFixture;
import imps.server.config.ServerConfig;
import imps.testsupport.FrameClient;
import imps.testsupport.WebSocketFrameClient;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The web port's WebSocket transport against a real server: a browser-side user and a TCP user
 * register, log in, become friends and talk both ways, with the same session rules as TCP.
 */
class WebSocketIT {
  private static ServerFixture server;

  @BeforeAll
  static void start() throws IOException {
    server =
        ServerFixture.start(
            ServerFixture.testConfig(Files.createTempDirectory("imps-ws"))
                .with(ServerConfig.Key.LOGIN_TIMEOUT, Duration.ofSeconds(2))
                .build());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static WebSocketFrameClient ws() {
    return WebSocketFrameClient.connect(server.server().webPort());
  }

  private static WebSocketFrameClient webUser(String name) {
    WebSocketFrameClient c = ws();
    c.send(new RegisterRequest(name, ServerFixture.PASSWORD, Gender.FEMALE, ""));
    c.expect(new RegisterResponse(true));
    c.send(new LoginRequest(name, ServerFixture.PASSWORD));
    assertThat(c.expect(LoginResponse.class).userName()).isEqualTo(name);
    return c;
  }

  @Test
  void webAndTcpUsersBecomeFriendsAndChatBothWays() throws IOException {
    String webName = ServerFixture.uniqueName("网页");
    String tcpName = ServerFixture.uniqueName("tcp");
    try (WebSocketFrameClient web = webUser(webName);
        FrameClient tcp = server.newUser(tcpName)) {
      web.send(new AddFriendRequest(webName, tcpName));
      web.expect(ErrorResponse.of(ErrorCode.SUCCESS, CommandType.C_ADDFRIEND_REQ));
      tcp.expect(new FriendRequestPush(webName));
      tcp.send(new AddFriendAnswer(webName, true));
      tcp.expect(ErrorResponse.of(ErrorCode.SUCCESS, CommandType.C_ADDFRIEND_RSP));
      assertThat(tcp.expect(AddFriendResponse.class).userName()).isEqualTo(webName);
      AddFriendResponse toWeb = web.expect(AddFriendResponse.class);
      assertThat(toWeb.result()).isEqualTo(AddFriendResponse.Result.ACCEPTED);
      assertThat(toWeb.userName()).isEqualTo(tcpName);

      String hello = "你好 from the browser 😀";
      web.send(new SendMessage(webName, tcpName, hello));
      web.expect(ErrorResponse.of(ErrorCode.SUCCESS, CommandType.C_SEND_MSG));
      MessagePush atTcp = tcp.expect(MessagePush.class);
      assertThat(atTcp.friendName()).isEqualTo(webName);
      assertThat(atTcp.message()).isEqualTo(hello);

      String reply = "收到 👍🏽";
      tcp.send(new SendMessage(tcpName, webName, reply));
      tcp.expect(ErrorResponse.of(ErrorCode.SUCCESS, CommandType.C_SEND_MSG));
      MessagePush atWeb = web.expect(MessagePush.class);
      assertThat(atWeb.friendName()).isEqualTo(tcpName);
      assertThat(atWeb.message()).isEqualTo(reply);

      byte[] clip = new byte[60 * 1024];
      for (int i = 0; i < clip.length; i++) {
        clip[i] = (byte) (i * 31);
      }
      web.send(new AudioRequest(tcpName, ClipBytes.copyOf(clip), "2026-11-28 12:00:02"));
      web.expect(ErrorResponse.of(ErrorCode.SUCCESS, CommandType.C_AUDIO_REQ));
      assertThat(tcp.expect(AudioPush.class).data()).isEqualTo(ClipBytes.copyOf(clip));

      web.send(
          new HeartbeatRequest(
              webName, List.of(new LocationFix("2026-11-28 12:00:00", "23.13,113.26"))));
      web.expect(new HeartbeatResponse());

      // The browser goes away: its friend sees it go offline, as for a TCP connection.
      web.close();
      tcp.expect(new StatusNotifyPush(webName, Presence.OFFLINE));
    }
  }

  @Test
  void aWebLoginTakesOverATcpSessionOfTheSameUser() throws IOException {
    String name = ServerFixture.uniqueName("both");
    FrameClient tcp = server.newUser(name);
    try (WebSocketFrameClient web = ws()) {
      web.send(new LoginRequest(name, ServerFixture.PASSWORD));
      web.expect(LoginResponse.class);
      tcp.expectError(7, 0);
      tcp.expectClosed(Duration.ofSeconds(5));
    }
  }

  @Test
  void malformedFieldsInAWholeFrameKeepTheConnection() {
    try (WebSocketFrameClient c = ws()) {
      // C_REGISTER whose UserName length runs past the end of the frame.
      c.sendRaw(new byte[] {'O', 'K', 0, 3, 15, 0, 9});
      c.expectError(8, CommandType.C_REGISTER);
      c.send(new RegisterRequest(ServerFixture.uniqueName("ok"), "secret1", Gender.MALE, ""));
      c.expect(new RegisterResponse(true));
    }
  }

  @Test
  void requestsBeforeLoginAreRefusedLikeTcp() {
    try (WebSocketFrameClient c = ws()) {
      c.send(new HeartbeatRequest("nobody", List.of()));
      c.expectError(5, CommandType.C_HEARTBEAT_REQ);
    }
  }

  @Test
  void aFrameSentInSeveralWebSocketFragmentsIsOneMessage() {
    try (WebSocketFrameClient c = ws()) {
      String name = ServerFixture.uniqueName("frag");
      c.sendFragmented(
          FrameClient.encode(new RegisterRequest(name, "secret1", Gender.UNSPECIFIED, "")), 3);
      c.expect(new RegisterResponse(true));
    }
  }

  @Test
  void twoFramesInOneMessageAreAViolation() {
    try (WebSocketFrameClient c = ws()) {
      byte[] one = FrameClient.encode(new HeartbeatRequest("x", List.of()));
      byte[] two = new byte[one.length * 2];
      System.arraycopy(one, 0, two, 0, one.length);
      System.arraycopy(one, 0, two, one.length, one.length);
      c.sendRaw(two);
      c.expectError(8, 0);
      assertThat(c.expectClosed(Duration.ofSeconds(5)).status()).isEqualTo(1002);
    }
  }

  @Test
  void aFrameSplitAcrossMessagesIsAViolation() {
    try (WebSocketFrameClient c = ws()) {
      byte[] frame = FrameClient.encode(new LoginRequest("someone", "secret1"));
      byte[] head = new byte[frame.length - 3];
      System.arraycopy(frame, 0, head, 0, head.length);
      c.sendRaw(head);
      c.expectError(8, 0);
      assertThat(c.expectClosed(Duration.ofSeconds(5)).status()).isEqualTo(1002);
    }
  }

  @Test
  void aBadTagIsAViolation() {
    try (WebSocketFrameClient c = ws()) {
      c.sendRaw(new byte[] {'X', 'K', 0, 1, 3});
      c.expectError(8, 0);
      assertThat(c.expectClosed(Duration.ofSeconds(5)).status()).isEqualTo(1002);
    }
  }

  @Test
  void textMessagesAreRefused() {
    try (WebSocketFrameClient c = ws()) {
      c.sendText("OK hello");
      c.expectError(8, 0);
      assertThat(c.expectClosed(Duration.ofSeconds(5)).status()).isEqualTo(1003);
    }
  }

  @Test
  void aMessageLargerThanAFrameIsRefused() {
    try (WebSocketFrameClient c = ws()) {
      try {
        c.sendRaw(new byte[70_000]);
      } catch (java.util.concurrent.CompletionException e) {
        // The server may close while the client is still sending the rest of the message.
      }
      // The server refuses on the frame's header, then reads and drops the rest of the message
      // until the client answers the close: the close frame always arrives (no reset).
      c.expectError(8, 0);
      assertThat(c.expectClosed(Duration.ofSeconds(5)).status()).isEqualTo(1009);
    }
  }

  @Test
  void aFragmentedMessageLargerThanAFrameIsRefused() {
    try (WebSocketFrameClient c = ws()) {
      try {
        c.sendFragmented(new byte[70_000], 4);
      } catch (java.util.concurrent.CompletionException e) {
        // The server may close while the client is still sending the rest of the message.
      }
      c.expectError(8, 0);
      assertThat(c.expectClosed(Duration.ofSeconds(5)).status()).isEqualTo(1009);
    }
  }

  @Test
  void aServerShuttingDownTellsTheBrowserAndClosesWith1000() throws Exception {
    ServerFixture own =
        ServerFixture.start(ServerFixture.testConfig(Files.createTempDirectory("imps-ws")).build());
    try (WebSocketFrameClient c = WebSocketFrameClient.connect(own.server().webPort())) {
      String name = ServerFixture.uniqueName("bye");
      c.send(new RegisterRequest(name, ServerFixture.PASSWORD, Gender.MALE, ""));
      c.expect(new RegisterResponse(true));
      Thread stopping = new Thread(own::close);
      stopping.start();
      // The drain's notice, then the close frame: not just the end of the TCP stream.
      c.expectError(32, 0);
      assertThat(c.expectClosed(Duration.ofSeconds(10)).status()).isEqualTo(1000);
      stopping.join(30_000);
    }
  }

  @Test
  void anUpgradedConnectionThatNeverLogsInIsClosedAfterTheLoginTimeout() {
    try (WebSocketFrameClient c = ws()) {
      assertThat(c.expectClosed(Duration.ofSeconds(10)).status()).isEqualTo(1000);
    }
  }

  @Test
  void theWebSocketCountsAsAConnection() {
    // Counted while open and no longer once closed (a count taken before it opened may still
    // include an earlier test's connection that is closing).
    int open;
    try (WebSocketFrameClient c = ws()) {
      c.send(new RegisterRequest(ServerFixture.uniqueName("n"), "secret1", Gender.MALE, ""));
      c.expect(new RegisterResponse(true));
      open = server.server().connectionCount();
      assertThat(open).isPositive();
    }
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> server.server().connectionCount() < open);
  }
}
