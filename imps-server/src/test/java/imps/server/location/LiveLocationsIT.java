package imps.server.location;

import static imps.server.ImpsServerExtension.PASSWORD;
import static imps.server.ImpsServerExtension.expectStatus;
import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.CommandType;
import imps.protocol.Feature;
import imps.protocol.Presence;
import imps.protocol.message.HeartbeatRequest;
import imps.protocol.message.HeartbeatResponse;
import imps.protocol.message.Hello;
import imps.protocol.message.HelloResponse;
import imps.protocol.message.LiveLocationsRequest;
import imps.protocol.message.LocationFix;
import imps.protocol.message.LocationPush;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.LoginResponse;
import imps.protocol.message.StatusNotifyPush;
import imps.protocol.message.StatusNotifyRequest;
import imps.server.ImpsServerExtension;
import imps.server.LoggedInFriends;
import imps.server.config.ServerConfig;
import imps.testsupport.FrameClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Live friend locations over TCP (docs/PROTOCOL.md 8.6). */
class LiveLocationsIT {
  static final Duration INTERVAL = Duration.ofMillis(600);

  @RegisterExtension
  static final ImpsServerExtension server =
      ImpsServerExtension.withSettings(
          b -> b.with(ServerConfig.Key.LOCATION_LIVE_INTERVAL, INTERVAL));

  /** {@code f.b()} again, opted into live locations and asking for them; a has seen it return. */
  private static FrameClient watcher(LoggedInFriends f) throws IOException {
    f.cb().close();
    expectStatus(f.ca(), f.b(), Presence.OFFLINE);
    FrameClient c = server.connect();
    c.send(new Hello(1, Set.of(Feature.LIVE_LOCATIONS)));
    c.expect(HelloResponse.class);
    c.send(new LoginRequest(f.b(), PASSWORD));
    c.expect(LoginResponse.class);
    c.send(new LiveLocationsRequest(true));
    c.expectError(0, CommandType.C_LIVE_LOCATIONS);
    expectStatus(f.ca(), f.b(), Presence.ONLINE);
    return c;
  }

  private static void move(FrameClient c, String user, String time, String where)
      throws IOException {
    c.send(new HeartbeatRequest(user, List.of(new LocationFix(time, where))));
    c.expect(HeartbeatResponse.class);
  }

  @Test
  void aFriendsNewPositionsArePushedCoalescedToTheLatest() throws IOException {
    LoggedInFriends f = server.friends("lla", "llb");
    FrameClient b = watcher(f);
    move(f.ca(), f.a(), "2026-11-28 12:00:00", "23.13,113.26");
    b.expect(new LocationPush(f.a(), "2026-11-28 12:00:00", "23.13,113.26"));
    // Within the interval: held back, and only the latest follows.
    move(f.ca(), f.a(), "2026-11-28 12:00:01", "23.14,113.26");
    move(f.ca(), f.a(), "2026-11-28 12:00:02", "23.15,113.26");
    b.expect(new LocationPush(f.a(), "2026-11-28 12:00:02", "23.15,113.26"));
    b.expectSilence(INTERVAL.plusMillis(300));

    // Stopped: nothing more.
    b.send(new LiveLocationsRequest(false));
    b.expectError(0, CommandType.C_LIVE_LOCATIONS);
    move(f.ca(), f.a(), "2026-11-28 12:00:09", "23.16,113.26");
    b.expectSilence(INTERVAL.plusMillis(300));
  }

  @Test
  void neverFromAnInvisibleFriendNorToConnectionsThatDidNotAsk() throws IOException {
    LoggedInFriends f = server.friends("lia", "lib");
    // b's legacy connection did not ask: a's moves reach it not.
    move(f.ca(), f.a(), "2026-11-28 12:00:00", "1.1,2.5");
    f.cb().expectSilence(INTERVAL);
    f.cb().send(new LiveLocationsRequest(true));
    f.cb().expectError(3, CommandType.C_LIVE_LOCATIONS);

    FrameClient b = watcher(f);
    f.ca().send(new StatusNotifyRequest(f.a(), Presence.INVISIBLE));
    f.ca().expectError(0, CommandType.C_STATUS_NOTIFY);
    expectStatus(b, f.a(), Presence.OFFLINE);
    move(f.ca(), f.a(), "2026-11-28 12:00:05", "1.5,2.5");
    b.expectSilence(INTERVAL.plusMillis(300));

    // A non-friend who asked sees nothing either.
    String c = ImpsServerExtension.uniqueName("lic");
    server.register(c);
    FrameClient cc = server.connect();
    cc.send(new Hello(1, Set.of(Feature.LIVE_LOCATIONS)));
    cc.expect(HelloResponse.class);
    cc.send(new LoginRequest(c, PASSWORD));
    cc.expect(LoginResponse.class);
    cc.send(new LiveLocationsRequest(true));
    cc.expectError(0, CommandType.C_LIVE_LOCATIONS);
    f.ca().send(new StatusNotifyRequest(f.a(), Presence.ONLINE));
    f.ca().expectError(0, CommandType.C_STATUS_NOTIFY);
    expectStatus(b, f.a(), Presence.ONLINE);
    move(f.ca(), f.a(), "2026-11-28 12:00:09", "1.9,2.5");
    b.expect(new LocationPush(f.a(), "2026-11-28 12:00:09", "1.9,2.5"));
    cc.expectSilence(Duration.ofMillis(300));
  }

  @Test
  void aFixHeldBackIsNotPushedOnceItsSenderWentInvisible() throws IOException {
    LoggedInFriends f = server.friends("lha", "lhb");
    FrameClient b = watcher(f);
    // Sent together, well within the interval: the first fix is pushed at once, the second is
    // held back until the interval has passed, and by then a is invisible.
    f.ca()
        .send(
            new HeartbeatRequest(
                f.a(), List.of(new LocationFix("2026-11-28 12:00:00", "5.1,6.5"))));
    f.ca()
        .send(
            new HeartbeatRequest(
                f.a(), List.of(new LocationFix("2026-11-28 12:00:01", "5.2,6.5"))));
    f.ca().send(new StatusNotifyRequest(f.a(), Presence.INVISIBLE));
    f.ca().expect(HeartbeatResponse.class);
    f.ca().expect(HeartbeatResponse.class);
    f.ca().expectError(0, CommandType.C_STATUS_NOTIFY);
    List<Object> seen = new ArrayList<>();
    seen.add(b.next());
    seen.add(b.next());
    assertThat(seen)
        .containsExactlyInAnyOrder(
            new LocationPush(f.a(), "2026-11-28 12:00:00", "5.1,6.5"),
            new StatusNotifyPush(f.a(), Presence.OFFLINE));
    // The held fix was due after the interval: dropped, since its sender is no longer visible.
    b.expectSilence(INTERVAL.plusMillis(300));

    // Visible again: the next fix is pushed (the position held back never is).
    f.ca().send(new StatusNotifyRequest(f.a(), Presence.ONLINE));
    f.ca().expectError(0, CommandType.C_STATUS_NOTIFY);
    expectStatus(b, f.a(), Presence.ONLINE);
    move(f.ca(), f.a(), "2026-11-28 12:00:09", "5.9,6.5");
    b.expect(new LocationPush(f.a(), "2026-11-28 12:00:09", "5.9,6.5"));
  }
}
