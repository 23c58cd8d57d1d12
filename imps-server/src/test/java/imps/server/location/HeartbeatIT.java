package imps.server.location;

import static imps.server.ImpsServerExtension.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.CommandType;
import imps.protocol.Presence;
import imps.protocol.message.HeartbeatRequest;
import imps.protocol.message.HeartbeatResponse;
import imps.protocol.message.LocationFix;
import imps.server.ImpsServerExtension;
import imps.server.LoggedInFriends;
import imps.server.config.ServerConfig;
import imps.server.store.Fix;
import imps.server.store.UserRecord;
import imps.testsupport.FrameClient;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Section 7.3: heartbeats, location history, idle timeout. */
class HeartbeatIT {
  @RegisterExtension
  static final ImpsServerExtension server =
      ImpsServerExtension.withSettings(b -> b.set(ServerConfig.Key.IDLE_TIMEOUT, "2s"));

  private static UserRecord user(String name) {
    return server.server().store().accounts().findByKey(name.toLowerCase()).orElseThrow();
  }

  @Test
  void fixesAreStoredNormalisedAsHistoryAndLatest() throws IOException {
    String a = uniqueName("ha");
    FrameClient ca = server.newUser(a);
    ca.send(
        new HeartbeatRequest(
            a,
            List.of(
                new LocationFix("2026-11-28 12:00:00", "23.13, 113.26"),
                new LocationFix("2026-11-28T12:00:30+08:00", " -23.1234567 , -113.2 "),
                new LocationFix("1764331260000", "0.0000001,180"))));
    ca.expect(HeartbeatResponse.INSTANCE);
    UserRecord u = user(a);
    assertThat(server.server().store().locations().history(u.id()))
        .containsExactly(
            new Fix("2026-11-28 12:00:00", "23.13,113.26"),
            new Fix("2026-11-28 04:00:30", "-23.123457,-113.2"),
            new Fix("2025-11-28 12:01:00", "0,180"));
    assertThat(u.sharedTime()).isEqualTo("2025-11-28 12:01:00");
    assertThat(u.sharedLocation()).isEqualTo("0,180");
  }

  @Test
  void oneInvalidFixRejectsTheWholeHeartbeat() throws IOException {
    String a = uniqueName("ha");
    FrameClient ca = server.newUser(a);
    for (LocationFix bad :
        List.of(
            new LocationFix("2026-11-28 12:00:00", "91,0"),
            new LocationFix("2026-11-28 12:00:00", "0,181"),
            new LocationFix("2026-11-28 12:00:00", "north"),
            new LocationFix("2026-13-28 12:00:00", "1,1"),
            new LocationFix("yesterday", "1,1"))) {
      ca.send(new HeartbeatRequest(a, List.of(new LocationFix("2026-11-28 12:00:00", "1,1"), bad)));
      ca.expectError(8, CommandType.C_HEARTBEAT_REQ);
    }
    assertThat(server.server().store().locations().history(user(a).id())).isEmpty();
  }

  /**
   * Issue 11, item 3: a heartbeat past {@code max-fixes-per-heartbeat} (256) gets error 10 and
   * nothing else happens: nothing is stored, and it is not a malformed frame, so however many come
   * the connection stays open (16 violations would close it).
   */
  @Test
  void aHeartbeatWithMoreFixesThanTheCapGetsError10AndNothingElse() throws IOException {
    String a = uniqueName("ha");
    FrameClient ca = server.newUser(a);
    List<LocationFix> tooMany =
        java.util.Collections.nCopies(257, new LocationFix("2026-11-28 12:00:00", "1,1"));
    for (int i = 0; i < 20; i++) {
      ca.send(new HeartbeatRequest(a, tooMany));
      ca.expectError(10, CommandType.C_HEARTBEAT_REQ);
    }
    assertThat(server.server().store().locations().history(user(a).id())).isEmpty();
    ca.send(new HeartbeatRequest(a, tooMany.subList(0, 256)));
    ca.expect(HeartbeatResponse.INSTANCE);
    assertThat(server.server().store().locations().history(user(a).id())).hasSize(256);
  }

  @Test
  void heartbeatForAnotherUserGetsError3() throws IOException {
    String a = uniqueName("ha");
    FrameClient ca = server.newUser(a);
    ca.send(new HeartbeatRequest("someone-else", List.of()));
    ca.expectError(3, CommandType.C_HEARTBEAT_REQ);
  }

  @Test
  void idleConnectionIsClosedAndFriendsSeeOffline() throws IOException {
    LoggedInFriends f = server.friends("ha", "hb");
    // a keeps sending heartbeats; b goes silent.
    long end = System.nanoTime() + Duration.ofMillis(4000).toNanos();
    boolean sawOffline = false;
    while (System.nanoTime() < end && !sawOffline) {
      f.ca().send(new HeartbeatRequest(f.a(), List.of()));
      f.ca().expect(HeartbeatResponse.INSTANCE);
      Object o;
      try {
        o = f.ca().next(Duration.ofMillis(500));
      } catch (AssertionError noFrameYet) {
        continue;
      }
      assertThat(o).isEqualTo(new imps.protocol.message.StatusNotifyPush(f.b(), Presence.OFFLINE));
      sawOffline = true;
    }
    assertThat(sawOffline).as("friend told of idle close").isTrue();
    f.cb().expectClosed(Duration.ofSeconds(2));
  }

  @Test
  void aFrameTrickledByteByByteIsNotActivity() throws IOException {
    String a = uniqueName("ht");
    FrameClient ca = server.newUser(a);
    // The first bytes of a long frame, one every 250 ms: bytes arrive, but never a whole frame,
    // so the 2 s idle timeout still closes the connection.
    byte[] start = {'O', 'K', 0x10, 0x00, (byte) CommandType.C_SEND_MSG.value(), 0};
    long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    boolean closed = false;
    for (int i = 0; System.nanoTime() < end && !closed; i++) {
      try {
        ca.sendRaw(new byte[] {start[Math.min(i, start.length - 1)]});
        ca.expectClosed(Duration.ofMillis(250));
        closed = true;
      } catch (AssertionError stillOpen) {
        // keep trickling
      } catch (IOException reset) {
        closed = true;
      }
    }
    assertThat(closed).as("closed although bytes kept arriving").isTrue();
  }
}
