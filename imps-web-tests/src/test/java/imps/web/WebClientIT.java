package imps.web;

import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.CommandType;
import imps.protocol.ErrorCode;
import imps.protocol.Gender;
import imps.protocol.Presence;
import imps.protocol.message.AddFriendRequest;
import imps.protocol.message.AddFriendResponse;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.FriendInfo;
import imps.protocol.message.FriendListRequest;
import imps.protocol.message.FriendListResponse;
import imps.protocol.message.HeartbeatRequest;
import imps.protocol.message.HeartbeatResponse;
import imps.protocol.message.LocationFix;
import imps.protocol.message.MessagePush;
import imps.protocol.message.RegisterRequest;
import imps.protocol.message.RegisterResponse;
import imps.protocol.message.SendMessage;
import imps.testsupport.FrameClient;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The web client in Chromium against a real server, as people use it: register and log in (and the
 * errors of doing it wrong), become friends, chat both ways in Chinese and emoji, see presence
 * change, see a friend's marker move on the map, share my own position, use the phone layout.
 * Screenshots of each main screen go to target/screenshots/.
 */
class WebClientIT extends ServerPerClass {
  private static final AtomicInteger NAMES = new AtomicInteger();

  private static String name(String prefix) {
    return prefix + NAMES.incrementAndGet();
  }

  private static void assertNoConsoleProblems(WebApp... apps) {
    for (WebApp app : apps) {
      assertThat(app.consoleProblems()).as("console errors and policy violations").isEmpty();
    }
  }

  @Test
  void registrationAndLoginErrorsAreExplainedInWords() throws Exception {
    String taken = name("taken");
    try (FrameClient tcp = FrameClient.connect(server.tcpPort())) {
      tcp.send(new RegisterRequest(taken, WebServer.PASSWORD, Gender.UNSPECIFIED, ""));
      tcp.expect(new RegisterResponse(true));
    }
    try (WebApp app = WebApp.open(server)) {
      app.screenshot("login");
      assertThat(app.submitRegistration("has space", "secret1", "secret1").authError())
          .contains("character names cannot have")
          .contains("1 to 20 characters");
      assertThat(app.submitRegistration(name("short"), "12345", "12345").authError())
          .contains("too short")
          .contains("at least 6");
      assertThat(app.submitRegistration(name("differ"), "secret1", "secret2").authError())
          .contains("differ");
      assertThat(app.submitRegistration(taken, "secret1", "secret1").authError())
          .isEqualTo("The name “" + taken + "” is taken. Pick another one.");
      app.screenshot("register-error");
      assertThat(app.submitLogin(taken, "wrong-password").authError())
          .isEqualTo("Wrong name or password.");
      // The server throttles failed logins per user (5 a minute by default).
      String last = "";
      for (int i = 0; i < 6 && !last.startsWith("Too many"); i++) {
        app.driver.executeScript("document.getElementById('auth-error').textContent = ''");
        last = app.submitLogin(taken, "wrong-password-" + i).authError();
      }
      assertThat(last).isEqualTo("Too many failed logins. Wait a minute, then try again.");
      assertNoConsoleProblems(app);
    }
  }

  @Test
  void twoPeopleBecomeFriendsChatBothWaysAndSeeEachOthersPresence() {
    String alice = name("alice");
    String lei = name("李雷");
    try (WebApp a = WebApp.open(server);
        WebApp b = WebApp.open(server)) {
      a.register(alice);
      b.register(lei);

      assertThat(a.addFriend(lei)).isEqualTo("Request sent to " + lei + ".");
      b.await("the request", d -> !b.findAll("li[data-request]").isEmpty());
      b.screenshot("friend-request");
      b.accept(alice);
      a.awaitFriendStatus(lei, "online");
      b.awaitFriendStatus(alice, "online");

      a.openChat(lei);
      a.send("你好，李雷！👋 Shall we meet at 3?");
      b.openChat(alice);
      b.awaitMessage("你好，李雷！👋 Shall we meet at 3?");
      b.send("好的 😀👍🏽 see you");
      a.awaitMessage("好的 😀👍🏽 see you");
      a.screenshot("chat");

      // Invisible: friends see an invisible user as offline, and online again when visible.
      b.find("#visibility-toggle").click();
      a.awaitFriendStatus(lei, "offline");
      b.find("#visibility-toggle").click();
      a.awaitFriendStatus(lei, "online");

      // Logging out makes the friend offline; logging in again, online.
      b.logout();
      a.awaitFriendStatus(lei, "offline");
      a.screenshot("friends-presence");
      b.login(lei);
      a.awaitFriendStatus(lei, "online");
      assertNoConsoleProblems(a, b);
    }
  }

  @Test
  void aRejectedRequestTellsTheAsker() throws Exception {
    String me = name("picky");
    String asker = name("asker");
    try (WebApp app = WebApp.open(server);
        FrameClient tcp = FrameClient.connect(server.tcpPort())) {
      TcpUser.registerAndLogIn(tcp, asker, Gender.MALE);
      app.register(me);
      tcp.send(new AddFriendRequest(asker, me));
      tcp.expect(ErrorResponse.of(ErrorCode.SUCCESS, CommandType.C_ADDFRIEND_REQ));
      String request = "li[data-request=" + WebApp.quoted(asker) + "]";
      app.await("the request from " + asker, d -> !app.findAll(request).isEmpty());
      app.find(request + " .reject").click();
      AddFriendResponse outcome = tcp.expect(AddFriendResponse.class);
      assertThat(outcome.result()).isEqualTo(AddFriendResponse.Result.REFUSED);
      assertThat(outcome.userName()).isEqualTo(me);
      app.await("the request to go", d -> app.findAll(request).isEmpty());
      assertThat(app.friendStatus(asker)).isNull();

      // Asking someone who does not exist says so.
      assertThat(app.addFriend(name("nobody"))).startsWith("There is no user");
      assertNoConsoleProblems(app);
    }
  }

  @Test
  void aFriendsMarkerMovesWhenTheirHeartbeatBringsANewFix() throws Exception {
    String me = name("map");
    String walker = name("walker");
    try (WebApp app = WebApp.open(server);
        FrameClient tcp = FrameClient.connect(server.tcpPort())) {
      TcpUser.befriend(app, me, tcp, walker, Gender.MALE);

      heartbeat(tcp, walker, "23.129163,113.264435");
      app.awaitMarker(walker, 23.129163, 113.264435);
      heartbeat(tcp, walker, "23.135000,113.270000");
      app.awaitMarker(walker, 23.135, 113.27);

      // My own position, from the browser's geolocation once I allow it, reaches my friend.
      Chromium.setPosition(app.driver, app.origin(), 22.543096, 114.057865);
      app.find("#share-location").click();
      app.await("my position on the map", d -> !app.findAll("#my-position").isEmpty());
      FriendInfo seen = awaitFriendLocation(tcp, walker, me, "22.543096,114.057865");
      assertThat(seen.status()).isEqualTo(Presence.ONLINE);
      app.find("#fit-friends").click();
      app.screenshot("map");
      assertNoConsoleProblems(app);
    }
  }

  private static void heartbeat(FrameClient tcp, String user, String location) throws Exception {
    tcp.send(
        new HeartbeatRequest(
            user, List.of(new LocationFix(String.valueOf(System.currentTimeMillis()), location))));
    tcp.awaitMatching(HeartbeatResponse.class, r -> true);
  }

  private static FriendInfo awaitFriendLocation(
      FrameClient tcp, String user, String friend, String location) throws Exception {
    long deadline = System.nanoTime() + WebApp.WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      tcp.send(new FriendListRequest(user));
      FriendListResponse list = tcp.awaitMatching(FriendListResponse.class, r -> true);
      for (FriendInfo f : list.friends()) {
        if (f.name().equals(friend) && location.equals(f.location())) {
          return f;
        }
      }
      Thread.sleep(300);
    }
    throw new AssertionError(friend + " never reported " + location);
  }

  @Test
  void thePhoneLayoutShowsOnePaneAtATime() throws Exception {
    String me = name("phone");
    String friend = name("pal");
    try (WebApp app = WebApp.phone(server);
        FrameClient tcp = FrameClient.connect(server.tcpPort())) {
      app.screenshot("phone-login");
      TcpUser.befriend(app, me, tcp, friend, Gender.FEMALE);
      heartbeat(tcp, friend, "31.230416,121.473701");
      app.awaitFriendStatus(friend, "online");
      assertThat(app.find(".pane-chat").isDisplayed()).isFalse();
      app.screenshot("phone-friends");

      app.openChat(friend);
      assertThat(app.find(".pane-friends").isDisplayed()).isFalse();
      tcp.send(new SendMessage(friend, me, "在吗？🙂"));
      app.awaitMessage("在吗？🙂");
      app.send("在！");
      tcp.awaitMatching(MessagePush.class, m -> m.message().equals("在！"));
      app.screenshot("phone-chat");

      app.tab("map");
      app.awaitMarker(friend, 31.230416, 121.473701);
      assertThat(app.find(".pane-chat").isDisplayed()).isFalse();
      app.screenshot("phone-map");
      assertNoConsoleProblems(app);
    }
  }
}
