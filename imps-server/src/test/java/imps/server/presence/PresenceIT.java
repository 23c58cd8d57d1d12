package imps.server.presence;

import static imps.server.ImpsServerExtension.expectStatus;
import static imps.server.ImpsServerExtension.uniqueName;

import imps.protocol.CommandType;
import imps.protocol.Presence;
import imps.protocol.message.FriendInfo;
import imps.protocol.message.FriendListRequest;
import imps.protocol.message.FriendListResponse;
import imps.protocol.message.HeartbeatRequest;
import imps.protocol.message.HeartbeatResponse;
import imps.protocol.message.LocationFix;
import imps.protocol.message.StatusNotifyRequest;
import imps.server.ImpsServerExtension;
import imps.server.LoggedInFriends;
import imps.testsupport.FrameClient;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Section 7.4 and the presence parts of 7.2 and 7.3. */
class PresenceIT {
  @RegisterExtension static final ImpsServerExtension server = ImpsServerExtension.withDefaults();

  @Test
  void loginAndDisconnectAreToldToOnlineFriends() throws IOException {
    LoggedInFriends f = server.friends("pa", "pb");
    f.cb().close();
    expectStatus(f.ca(), f.b(), Presence.OFFLINE);
    FrameClient cb2 = server.login(f.b());
    expectStatus(f.ca(), f.b(), Presence.ONLINE);
    cb2.expectSilence(Duration.ofMillis(200));
  }

  @Test
  void invisibleLooksOfflineAndKeepsLastVisibleLocation() throws IOException {
    LoggedInFriends f = server.friends("pa", "pb");
    String a = f.a();
    String b = f.b();
    FrameClient ca = f.ca();
    FrameClient cb = f.cb();
    cb.send(new HeartbeatRequest(b, List.of(new LocationFix("2026-11-28 10:00:00", "1.5,2.5"))));
    cb.expect(HeartbeatResponse.INSTANCE);

    cb.send(new StatusNotifyRequest(b, Presence.INVISIBLE));
    cb.expectError(0, CommandType.C_STATUS_NOTIFY);
    expectStatus(ca, b, Presence.OFFLINE);
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
    expectStatus(ca, b, Presence.ONLINE);
  }

  @Test
  void statusZeroSignsOut() throws IOException {
    LoggedInFriends f = server.friends("pa", "pb");
    f.cb().send(new StatusNotifyRequest(f.b(), Presence.OFFLINE));
    f.cb().expectError(0, CommandType.C_STATUS_NOTIFY);
    f.cb().expectClosed(Duration.ofSeconds(5));
    expectStatus(f.ca(), f.b(), Presence.OFFLINE);
    f.ca().expectSilence(Duration.ofMillis(300));
  }

  @Test
  void requestsQueuedBehindASignOutDoNotActForTheUser() throws IOException {
    LoggedInFriends f = server.friends("pa", "pb");
    f.cb().send(new StatusNotifyRequest(f.b(), Presence.INVISIBLE));
    f.cb().expectError(0, CommandType.C_STATUS_NOTIFY);
    expectStatus(f.ca(), f.b(), Presence.OFFLINE);
    // Sign out and, in the same write, ask to be online again: the second must not take effect.
    java.io.ByteArrayOutputStream both = new java.io.ByteArrayOutputStream();
    for (StatusNotifyRequest r :
        List.of(
            new StatusNotifyRequest(f.b(), Presence.OFFLINE),
            new StatusNotifyRequest(f.b(), Presence.ONLINE))) {
      io.netty.buffer.ByteBuf buf = io.netty.buffer.Unpooled.buffer();
      imps.protocol.codec.FrameEncoder.encodeTo(r, buf);
      byte[] bytes = new byte[buf.readableBytes()];
      buf.readBytes(bytes);
      buf.release();
      both.write(bytes);
    }
    f.cb().sendRaw(both.toByteArray());
    f.cb().expectError(0, CommandType.C_STATUS_NOTIFY);
    f.cb().expectClosed(Duration.ofSeconds(5));
    f.ca().expectSilence(Duration.ofMillis(500));
    f.ca().send(new FriendListRequest(f.a()));
    f.ca().expect(new FriendListResponse(List.of(new FriendInfo(f.b(), Presence.OFFLINE, "", ""))));
    // The remembered choice is still "invisible".
    server.login(f.b());
    f.ca().expectSilence(Duration.ofMillis(300));
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
    LoggedInFriends f = server.friends("pa", "pb");
    f.ca().close();
    expectStatus(f.cb(), f.a(), Presence.OFFLINE);
    f.cb().send(new StatusNotifyRequest(f.b(), Presence.INVISIBLE));
    f.cb().expectError(0, CommandType.C_STATUS_NOTIFY);
    // a logs in and sees b offline (invisible), with no notification about b.
    FrameClient ca2 = server.login(f.a());
    ca2.expectSilence(Duration.ofMillis(300));
    ca2.send(new FriendListRequest(f.a()));
    ca2.expect(new FriendListResponse(List.of(new FriendInfo(f.b(), Presence.OFFLINE, "", ""))));
  }
}
