package imps.server.friend;

import static imps.server.ImpsServerExtension.befriend;
import static imps.server.ImpsServerExtension.expectStatus;
import static imps.server.ImpsServerExtension.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.CommandType;
import imps.protocol.Presence;
import imps.protocol.message.AddFriendAnswer;
import imps.protocol.message.AddFriendRequest;
import imps.protocol.message.AddFriendResponse;
import imps.protocol.message.FriendInfo;
import imps.protocol.message.FriendListRequest;
import imps.protocol.message.FriendListResponse;
import imps.protocol.message.FriendRequestPush;
import imps.protocol.message.HeartbeatRequest;
import imps.protocol.message.HeartbeatResponse;
import imps.protocol.message.LocationFix;
import imps.protocol.message.StatusNotifyPush;
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

/** Section 7.5: friend requests, answers, outcomes, the friend list. */
class FriendIT {
  @RegisterExtension
  static final ImpsServerExtension server =
      ImpsServerExtension.withSettings(b -> b.set(ServerConfig.Key.MAX_FRIENDS, "2"));

  @Test
  void unknownUserGetsMinusOneWithName() throws IOException {
    String a = uniqueName("fa");
    FrameClient ca = server.newUser(a);
    ca.send(new AddFriendRequest(a, "nobody-at-all"));
    ca.expect(AddFriendResponse.noSuchUser("nobody-at-all"));
  }

  @Test
  void selfGetsError8() throws IOException {
    String a = uniqueName("fself");
    FrameClient ca = server.newUser(a);
    ca.send(new AddFriendRequest(a, a.toUpperCase()));
    ca.expectError(8, CommandType.C_ADDFRIEND_REQ);
  }

  @Test
  void actingForAnotherUserGetsError3() throws IOException {
    String a = uniqueName("fa");
    String b = uniqueName("fb");
    FrameClient ca = server.newUser(a);
    server.register(b);
    ca.send(new AddFriendRequest(b, a));
    ca.expectError(3, CommandType.C_ADDFRIEND_REQ);
  }

  @Test
  void acceptMakesMutualFriendsAndBothArePushed() throws IOException {
    LoggedInFriends f = server.friends("fa", "fb");
    f.ca().send(new FriendListRequest(f.a()));
    f.ca().expect(new FriendListResponse(List.of(new FriendInfo(f.b(), Presence.ONLINE, "", ""))));
    f.cb().send(new FriendListRequest(f.b()));
    f.cb().expect(new FriendListResponse(List.of(new FriendInfo(f.a(), Presence.ONLINE, "", ""))));
    // Already friends: immediate S_ADDFRIEND_RSP(1, info).
    f.ca().send(new AddFriendRequest(f.a(), f.b()));
    f.ca().expect(AddFriendResponse.accepted(new FriendInfo(f.b(), Presence.ONLINE, "", "")));
  }

  @Test
  void rejectPushesRefusalToRequester() throws IOException {
    String a = uniqueName("fa");
    String b = uniqueName("fb");
    FrameClient ca = server.newUser(a);
    FrameClient cb = server.newUser(b);
    ca.send(new AddFriendRequest(a, b));
    ca.expectError(0, CommandType.C_ADDFRIEND_REQ);
    cb.expect(new FriendRequestPush(a));
    cb.send(new AddFriendAnswer(a, false));
    cb.expectError(0, CommandType.C_ADDFRIEND_RSP);
    ca.expect(AddFriendResponse.refused(b));
    cb.send(new FriendListRequest(b));
    cb.expect(new FriendListResponse(List.of()));
  }

  @Test
  void answerWithoutPendingRequestGetsError3() throws IOException {
    String a = uniqueName("fa");
    String b = uniqueName("fb");
    server.register(a);
    FrameClient cb = server.newUser(b);
    cb.send(new AddFriendAnswer(a, true));
    cb.expectError(3, CommandType.C_ADDFRIEND_RSP);
    cb.send(new AddFriendAnswer("no-such-user-x", true));
    cb.expectError(3, CommandType.C_ADDFRIEND_RSP);
  }

  @Test
  void invalidActionGetsError8() throws IOException {
    String b = uniqueName("fb");
    FrameClient cb = server.newUser(b);
    cb.sendRaw(FrameClient.withLastByte(new AddFriendAnswer(b, true), 2));
    cb.expectError(8, CommandType.C_ADDFRIEND_RSP);
  }

  @Test
  void answerWithOwnNameAnswersOldestPendingRequest() throws IOException {
    String a1 = uniqueName("old");
    String a2 = uniqueName("new");
    String b = uniqueName("fb");
    FrameClient c1 = server.newUser(a1);
    FrameClient c2 = server.newUser(a2);
    FrameClient cb = server.newUser(b);
    c1.send(new AddFriendRequest(a1, b));
    c1.expectError(0, CommandType.C_ADDFRIEND_REQ);
    c2.send(new AddFriendRequest(a2, b));
    c2.expectError(0, CommandType.C_ADDFRIEND_REQ);
    cb.expect(new FriendRequestPush(a1));
    cb.expect(new FriendRequestPush(a2));
    cb.send(new AddFriendAnswer(b, true));
    cb.expectError(0, CommandType.C_ADDFRIEND_RSP);
    assertThat(cb.expect(AddFriendResponse.class).userName()).isEqualTo(a1);
    assertThat(c1.expect(AddFriendResponse.class).result())
        .isEqualTo(AddFriendResponse.Result.ACCEPTED);
    c2.expectSilence(Duration.ofMillis(300));
  }

  @Test
  void requestToOfflineUserArrivesAtLoginAndOutcomeReachesOfflineRequester() throws IOException {
    String a = uniqueName("fa");
    String b = uniqueName("fb");
    server.register(b);
    FrameClient ca = server.newUser(a);
    ca.send(new AddFriendRequest(a, b));
    ca.expectError(0, CommandType.C_ADDFRIEND_REQ);
    // Signed out, not only closed: a closed connection's session ends a moment after the close,
    // and b must answer while a is offline for sure (else b's answer finds a still online, and b
    // is told a went offline where it expects a's next login).
    ca.send(new StatusNotifyRequest(a, Presence.OFFLINE));
    ca.expectError(0, CommandType.C_STATUS_NOTIFY);
    ca.close();

    FrameClient cb = server.login(b);
    cb.expect(new FriendRequestPush(a));
    cb.send(new AddFriendAnswer(a, true));
    cb.expectError(0, CommandType.C_ADDFRIEND_RSP);
    cb.expect(AddFriendResponse.accepted(new FriendInfo(a, Presence.OFFLINE, "", "")));

    FrameClient ca2 = server.login(a);
    ca2.expect(AddFriendResponse.accepted(new FriendInfo(b, Presence.ONLINE, "", "")));
    expectStatus(cb, a, Presence.ONLINE);
    // Delivered once: not again at the next login.
    ca2.close();
    expectStatus(cb, a, Presence.OFFLINE);
    FrameClient ca3 = server.login(a);
    ca3.expectSilence(Duration.ofMillis(500));
  }

  @Test
  void crossedRequestsAreAcceptedAtOnce() throws IOException {
    String a = uniqueName("fa");
    String b = uniqueName("fb");
    FrameClient ca = server.newUser(a);
    FrameClient cb = server.newUser(b);
    ca.send(new AddFriendRequest(a, b));
    ca.expectError(0, CommandType.C_ADDFRIEND_REQ);
    cb.expect(new FriendRequestPush(a));
    cb.send(new AddFriendRequest(b, a));
    cb.expect(AddFriendResponse.accepted(new FriendInfo(a, Presence.ONLINE, "", "")));
    ca.expect(AddFriendResponse.accepted(new FriendInfo(b, Presence.ONLINE, "", "")));
  }

  @Test
  void limitReachedGetsRefusal() throws IOException {
    String a = uniqueName("fa");
    FrameClient ca = server.newUser(a);
    for (int i = 0; i < 2; i++) {
      String f = uniqueName("ff");
      FrameClient cf = server.newUser(f);
      befriend(ca, a, cf, f);
    }
    String extra = uniqueName("fx");
    server.register(extra);
    ca.send(new AddFriendRequest(a, extra));
    ca.expect(AddFriendResponse.refused(extra));
  }

  @Test
  void friendListShowsStatusAndLastSharedLocation() throws IOException {
    LoggedInFriends f = server.friends("fa", "fb");
    String a = f.a();
    String b = f.b();
    FrameClient ca = f.ca();
    FrameClient cb = f.cb();
    cb.send(
        new HeartbeatRequest(b, List.of(new LocationFix("2026-11-28 12:00:00", "23.13, 113.26"))));
    cb.expect(HeartbeatResponse.INSTANCE);
    ca.send(new FriendListRequest(a));
    ca.expect(
        new FriendListResponse(
            List.of(new FriendInfo(b, Presence.ONLINE, "2026-11-28 12:00:00", "23.13,113.26"))));
    cb.close();
    ca.expect(new StatusNotifyPush(b, Presence.OFFLINE));
    ca.send(new FriendListRequest(a));
    ca.expect(
        new FriendListResponse(
            List.of(new FriendInfo(b, Presence.OFFLINE, "2026-11-28 12:00:00", "23.13,113.26"))));
  }
}
