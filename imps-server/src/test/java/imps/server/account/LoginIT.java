package imps.server.account;

import static imps.server.ImpsServerExtension.PASSWORD;
import static imps.server.ImpsServerExtension.expectStatus;
import static imps.server.ImpsServerExtension.uniqueName;

import imps.protocol.CommandType;
import imps.protocol.Gender;
import imps.protocol.Presence;
import imps.protocol.message.AddFriendAnswer;
import imps.protocol.message.AddFriendRequest;
import imps.protocol.message.AudioRequest;
import imps.protocol.message.ClipBytes;
import imps.protocol.message.FriendListRequest;
import imps.protocol.message.HeartbeatRequest;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.LoginResponse;
import imps.protocol.message.SendMessage;
import imps.protocol.message.StatusNotifyRequest;
import imps.server.ImpsServerExtension;
import imps.server.LoggedInFriends;
import imps.server.config.ServerConfig;
import imps.testsupport.FrameClient;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Section 7.2, login: errors 4, 5, 6, 7, 10, newest login wins, login timeout. */
class LoginIT {
  @RegisterExtension
  static final ImpsServerExtension server =
      ImpsServerExtension.withSettings(
          b ->
              b.set(ServerConfig.Key.LOGIN_TIMEOUT, "2s")
                  .set(ServerConfig.Key.LOGIN_FAILURES_PER_USER, "3"));

  @Test
  void loginReturnsAccountAsRegisteredWhateverTheCase() throws IOException {
    String name = uniqueName("MixedCase");
    server.register(name);
    FrameClient c = server.connect();
    c.send(new LoginRequest(name.toLowerCase(), PASSWORD));
    c.expect(new LoginResponse(name, Gender.UNSPECIFIED, name + "@example.org"));
  }

  @Test
  void wrongPasswordAndUnknownUserBothGetError6() throws IOException {
    String name = uniqueName("pw");
    server.register(name);
    FrameClient c = server.connect();
    c.send(new LoginRequest(name, "wrong-password"));
    c.expectError(6, CommandType.C_LOGIN_REQ);
    c.send(new LoginRequest(uniqueName("ghost"), "whatever"));
    c.expectError(6, CommandType.C_LOGIN_REQ);
  }

  @Test
  void wrongPasswordIsRefusedAfterASuccessfulLogin() throws IOException {
    String name = uniqueName("again");
    server.register(name);
    server.login(name).close();
    FrameClient c = server.connect();
    c.send(new LoginRequest(name, "not-the-password"));
    c.expectError(6, CommandType.C_LOGIN_REQ);
    c.send(new LoginRequest(name, PASSWORD));
    c.expect(LoginResponse.class);
  }

  @Test
  void secondLoginOnSameConnectionGetsError4() throws IOException {
    String name = uniqueName("twice");
    FrameClient c = server.newUser(name);
    c.send(new LoginRequest(name, PASSWORD));
    c.expectError(4, CommandType.C_LOGIN_REQ);
  }

  @Test
  void everyRequestBeforeLoginGetsError5() throws IOException {
    FrameClient c = server.connect();
    c.send(new HeartbeatRequest("x", List.of()));
    c.expectError(5, CommandType.C_HEARTBEAT_REQ);
    c.send(new FriendListRequest("x"));
    c.expectError(5, CommandType.C_FRIENDLIST_REFURBISH_REQ);
    c.send(new AddFriendRequest("x", "y"));
    c.expectError(5, CommandType.C_ADDFRIEND_REQ);
    c.send(new AddFriendAnswer("x", true));
    c.expectError(5, CommandType.C_ADDFRIEND_RSP);
    c.send(new SendMessage("x", "y", "hi"));
    c.expectError(5, CommandType.C_SEND_MSG);
    c.send(new StatusNotifyRequest("x", Presence.ONLINE));
    c.expectError(5, CommandType.C_STATUS_NOTIFY);
    c.send(new AudioRequest("y", ClipBytes.copyOf(new byte[] {1}), ""));
    c.expectError(5, CommandType.C_AUDIO_REQ);
  }

  @Test
  void newestLoginWinsWithoutPresenceFlicker() throws IOException {
    LoggedInFriends f = server.friends("dup", "watch");
    String name = f.a();
    FrameClient first = f.ca();
    FrameClient watcher = f.cb();

    FrameClient second = server.login(name);
    first.expectError(7, 0);
    first.expectClosed(Duration.ofSeconds(5));
    // The watcher saw the user online throughout: no 0 then 2.
    watcher.expectSilence(Duration.ofMillis(500));
    // The new session works.
    second.send(new FriendListRequest(name));
    second.expect(imps.protocol.message.FriendListResponse.class);
    second.close();
    expectStatus(watcher, name, Presence.OFFLINE);
  }

  @Test
  void failedLoginsAreThrottledPerUser() throws IOException {
    String name = uniqueName("thr");
    server.register(name);
    FrameClient c = server.connect();
    for (int i = 0; i < 3; i++) {
      c.send(new LoginRequest(name, "bad-password"));
      c.expectError(6, CommandType.C_LOGIN_REQ);
    }
    c.send(new LoginRequest(name, PASSWORD));
    c.expectError(10, CommandType.C_LOGIN_REQ);
  }

  @Test
  void connectionThatNeverLogsInIsClosed() throws IOException {
    FrameClient c = server.connect();
    c.expectClosed(Duration.ofSeconds(6));
  }

  @Test
  void loggedInConnectionOutlivesTheLoginTimeout() throws IOException {
    String name = uniqueName("stay");
    FrameClient c = server.newUser(name);
    c.expectSilence(Duration.ofSeconds(3));
    c.send(new HeartbeatRequest(name, List.of()));
    c.expect(imps.protocol.message.HeartbeatResponse.INSTANCE);
  }
}
