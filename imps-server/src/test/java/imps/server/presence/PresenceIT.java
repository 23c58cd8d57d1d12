package imps.server.presence;

import static imps.server.ServerFixture.uniqueName;

import imps.protocol.CommandType;
import imps.protocol.Presence;
import imps.protocol.message.FriendInfo;
import imps.protocol.message.FriendListRequest;
import imps.protocol.message.FriendListResponse;
import imps.protocol.message.HeartbeatRequest;
import imps.protocol.message.HeartbeatResponse;
import imps.protocol.message.LocationFix;
import imps.protocol.message.StatusNotifyRequest;
import imps.server.ServerFixture;
import imps.testsupport.FrameClient;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Section 7.4 and the presence parts of 7.2 and 7.3. */
class PresenceIT {
  private static ServerFixture server;

  @BeforeAll
  static void start() throws IOException {
    server = ServerFixture.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void loginAndDisconnectAreToldToOnlineFriends() throws IOException {
    String a = uniqueName("pa");
    String b = uniqueName("pb");
    FrameClient ca = server.newUser(a);
    FrameClient cb = server.newUser(b);
    ServerFixture.befriend(ca, a, cb, b);
    cb.close();
    ServerFixture.expectStatus(ca, b, Presence.OFFLINE);
    FrameClient cb2 = server.login(b);
    ServerFixture.expectStatus(ca, b, Presence.ONLINE);
    cb2.expectSilence(Duration.ofMillis(200));
  }

  @Test
  void invisibleLooksOfflineAndKeepsLastVisibleLocation() throws IOException {
    String a = uniqueName("pa");
    String b = uniqueName("pb");
    FrameClient ca = server.newUser(a);
    FrameClient cb = server.newUser(b);
    ServerFixture.befriend(ca, a, cb, b);
    cb.send(new HeartbeatRequest(b, List.of(new LocationFix("2026-11-28 10:00:00", "1.5,2.5"))));
    cb.expect(HeartbeatResponse.INSTANCE);

    cb.send(new StatusNotifyRequest(b, Presence.INVISIBLE));
    cb.expectError(0, CommandType.C_STATUS_NOTIFY);
    ServerFixture.expectStatus(ca, b, Presence.OFFLINE);
    // A location recorded while invisible is not shown to friends.
    cb.send(new HeartbeatRequest(b, List.of(new LocationFix("2026-11-28 11:00:00", "3,4"))));
    cb.expect(HeartbeatResponse.INSTANCE);
    ca.send(new FriendListRequest(a));
    ca.expect(
        new FriendListResponse(
            List.of(new FriendInfo(b, Presence.OFFLINE, "2026-11-28 10:00:00", "1.5,2.5"))));

    // Invisible again: nothing changes for friends, so nothing is sent.
    cb.send(new StatusNotifyRequest(b, Presence.INVISIBLE));
    cb.expectError(0, CommandType.C_STATUS_NOTIFY);
    ca.expectSilence(Duration.ofMillis(300));
    // Going invisible and disconnecting: friends already see offline, so no notification.
    cb.close();
    ca.expectSilence(Duration.ofMillis(300));

    // The choice is remembered: logging in again stays invisible.
    FrameClient cb2 = server.login(b);
    ca.expectSilence(Duration.ofMillis(300));
    cb2.send(new StatusNotifyRequest(b, Presence.ONLINE));
    cb2.expectError(0, CommandType.C_STATUS_NOTIFY);
    ServerFixture.expectStatus(ca, b, Presence.ONLINE);
  }

  @Test
  void statusZeroSignsOut() throws IOException {
    String a = uniqueName("pa");
    String b = uniqueName("pb");
    FrameClient ca = server.newUser(a);
    FrameClient cb = server.newUser(b);
    ServerFixture.befriend(ca, a, cb, b);
    cb.send(new StatusNotifyRequest(b, Presence.OFFLINE));
    cb.expectError(0, CommandType.C_STATUS_NOTIFY);
    cb.expectClosed(Duration.ofSeconds(5));
    ServerFixture.expectStatus(ca, b, Presence.OFFLINE);
    ca.expectSilence(Duration.ofMillis(300));
  }

  @Test
  void requestsQueuedBehindASignOutDoNotActForTheUser() throws IOException {
    String a = uniqueName("pa");
    String b = uniqueName("pb");
    FrameClient ca = server.newUser(a);
    FrameClient cb = server.newUser(b);
    ServerFixture.befriend(ca, a, cb, b);
    cb.send(new StatusNotifyRequest(b, Presence.INVISIBLE));
    cb.expectError(0, CommandType.C_STATUS_NOTIFY);
    ServerFixture.expectStatus(ca, b, Presence.OFFLINE);
    // Sign out and, in the same write, ask to be online again: the second must not take effect.
    java.io.ByteArrayOutputStream both = new java.io.ByteArrayOutputStream();
    for (StatusNotifyRequest r :
        List.of(
            new StatusNotifyRequest(b, Presence.OFFLINE),
            new StatusNotifyRequest(b, Presence.ONLINE))) {
      io.netty.buffer.ByteBuf buf = io.netty.buffer.Unpooled.buffer();
      imps.protocol.codec.FrameEncoder.encodeTo(r, buf);
      byte[] bytes = new byte[buf.readableBytes()];
      buf.readBytes(bytes);
      buf.release();
      both.write(bytes);
    }
    cb.sendRaw(both.toByteArray());
    cb.expectError(0, CommandType.C_STATUS_NOTIFY);
    cb.expectClosed(Duration.ofSeconds(5));
    ca.expectSilence(Duration.ofMillis(500));
    ca.send(new FriendListRequest(a));
    ca.expect(new FriendListResponse(List.of(new FriendInfo(b, Presence.OFFLINE, "", ""))));
    // The remembered choice is still "invisible".
    server.login(b);
    ca.expectSilence(Duration.ofMillis(300));
  }

  @Test
  void invalidStatusGetsError8AndOtherUserGetsError3() throws IOException {
    String b = uniqueName("pb");
    FrameClient cb = server.newUser(b);
    cb.sendRaw(FrameClient.withLastByte(new StatusNotifyRequest(b, Presence.ONLINE), 3));
    cb.expectError(8, CommandType.C_STATUS_NOTIFY);
    cb.send(new StatusNotifyRequest("someone-else", Presence.INVISIBLE));
    cb.expectError(3, CommandType.C_STATUS_NOTIFY);
  }

  @Test
  void offlineFriendsAreNotNotified() throws IOException {
    String a = uniqueName("pa");
    String b = uniqueName("pb");
    FrameClient ca = server.newUser(a);
    FrameClient cb = server.newUser(b);
    ServerFixture.befriend(ca, a, cb, b);
    ca.close();
    ServerFixture.expectStatus(cb, a, Presence.OFFLINE);
    cb.send(new StatusNotifyRequest(b, Presence.INVISIBLE));
    cb.expectError(0, CommandType.C_STATUS_NOTIFY);
    // a logs in and sees b offline (invisible), with no notification about b.
    FrameClient ca2 = server.login(a);
    ca2.expectSilence(Duration.ofMillis(300));
    ca2.send(new FriendListRequest(a));
    ca2.expect(new FriendListResponse(List.of(new FriendInfo(b, Presence.OFFLINE, "", ""))));
  }
}
