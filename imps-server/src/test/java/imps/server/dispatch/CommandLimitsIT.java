package imps.server.dispatch;

import static imps.server.ImpsServerExtension.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.CommandType;
import imps.protocol.Feature;
import imps.protocol.Presence;
import imps.protocol.message.AddFriendRequest;
import imps.protocol.message.AddFriendResponse;
import imps.protocol.message.AudioPush;
import imps.protocol.message.AudioRequest;
import imps.protocol.message.BlockRequest;
import imps.protocol.message.ClipBytes;
import imps.protocol.message.FriendListRequest;
import imps.protocol.message.FriendListResponse;
import imps.protocol.message.HeartbeatRequest;
import imps.protocol.message.HeartbeatResponse;
import imps.protocol.message.HistoryPage;
import imps.protocol.message.HistoryRequest;
import imps.protocol.message.LocationFix;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.MessagePush;
import imps.protocol.message.SendMessage;
import imps.protocol.message.StatusNotifyRequest;
import imps.protocol.message.Unfriend;
import imps.server.ImpsServerExtension;
import imps.server.LoggedInFriends;
import imps.server.config.ServerConfig.Key;
import imps.testsupport.FrameClient;
import imps.testsupport.MutableClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Review finding H5 (no command was rate-limited after login) and M4 (names could be enumerated
 * without limit): each command class has a bucket per user; past it the request gets error 10 and
 * nothing else happens. Small limits here; the defaults are in docs/CONFIGURATION.md.
 */
class CommandLimitsIT {
  private static final Duration QUIET = Duration.ofMillis(300);
  private final MutableClock clock = new MutableClock();

  @RegisterExtension
  final ImpsServerExtension server =
      ImpsServerExtension.withSettings(
              b ->
                  b.set(Key.LIMIT_MESSAGES, "3/1m")
                      .set(Key.LIMIT_CLIPS, "2/1m")
                      .set(Key.LIMIT_STATUS, "2/1m")
                      .set(Key.LIMIT_FRIEND_REQUESTS, "3/1h")
                      .set(Key.LIMIT_FRIEND_LISTS, "2/1m")
                      .set(Key.LIMIT_FIXES, "5/1h")
                      .set(Key.LIMIT_UNKNOWN_NAMES, "2/10m")
                      .set(Key.LIMIT_LOGINS, "3/1m"))
          .withClock(clock);

  @Test
  void messagesPastTheLimitGetError10AndAreNeitherStoredNorPushed() throws IOException {
    LoggedInFriends f = server.friends("la", "lb");
    for (int i = 0; i < 5; i++) {
      f.ca().send(new SendMessage(f.a(), f.b(), "m" + i));
    }
    for (int i = 0; i < 3; i++) {
      f.ca().expectError(0, CommandType.C_SEND_MSG);
    }
    f.ca().expectError(10, CommandType.C_SEND_MSG);
    f.ca().expectError(10, CommandType.C_SEND_MSG);
    for (int i = 0; i < 3; i++) {
      assertThat(f.cb().expect(MessagePush.class).message()).isEqualTo("m" + i);
    }
    f.cb().expectSilence(QUIET);
    // One comes back every 20 s.
    clock.advance(Duration.ofSeconds(20));
    f.ca().send(new SendMessage(f.a(), f.b(), "later"));
    f.ca().expectError(0, CommandType.C_SEND_MSG);
    assertThat(f.cb().expect(MessagePush.class).message()).isEqualTo("later");
  }

  @Test
  void loggingInAgainDoesNotRefillTheBucket() throws IOException {
    LoggedInFriends f = server.friends("la", "lb");
    for (int i = 0; i < 3; i++) {
      f.ca().send(new SendMessage(f.a(), f.b(), "m" + i));
      f.ca().expectError(0, CommandType.C_SEND_MSG);
    }
    f.ca().close();
    try (FrameClient again = server.login(f.a())) {
      again.send(new SendMessage(f.a(), f.b(), "more"));
      again.expectError(10, CommandType.C_SEND_MSG);
    }
  }

  @Test
  void loginLoopsAreLimitedPerUser() throws IOException {
    String a = uniqueName("ll");
    server.newUser(a).close();
    server.login(a).close();
    server.login(a).close();
    try (FrameClient c = server.connect()) {
      c.send(new LoginRequest(a, ImpsServerExtension.PASSWORD));
      c.expectError(10, CommandType.C_LOGIN_REQ);
    }
    clock.advance(Duration.ofSeconds(20));
    server.login(a).close();
  }

  @Test
  void clipsHaveTheirOwnLimit() throws IOException {
    LoggedInFriends f = server.friends("la", "lb");
    ClipBytes clip = ClipBytes.copyOf(new byte[1000]);
    for (int i = 0; i < 3; i++) {
      f.ca().send(new AudioRequest(f.b(), clip, "2026-11-30 08:00:00"));
    }
    f.ca().expectError(0, CommandType.C_AUDIO_REQ);
    f.ca().expectError(0, CommandType.C_AUDIO_REQ);
    f.ca().expectError(10, CommandType.C_AUDIO_REQ);
    f.cb().expect(AudioPush.class);
    f.cb().expect(AudioPush.class);
    f.cb().expectSilence(QUIET);
    // Texts are counted apart.
    f.ca().send(new SendMessage(f.a(), f.b(), "text"));
    f.ca().expectError(0, CommandType.C_SEND_MSG);
  }

  @Test
  void statusChangesPastTheLimitAreNotAnnouncedButGoingOfflineAlwaysWorks() throws IOException {
    LoggedInFriends f = server.friends("la", "lb");
    f.ca().send(new StatusNotifyRequest(f.a(), Presence.INVISIBLE));
    f.ca().expectError(0, CommandType.C_STATUS_NOTIFY);
    ImpsServerExtension.expectStatus(f.cb(), f.a(), Presence.OFFLINE);
    f.ca().send(new StatusNotifyRequest(f.a(), Presence.ONLINE));
    f.ca().expectError(0, CommandType.C_STATUS_NOTIFY);
    ImpsServerExtension.expectStatus(f.cb(), f.a(), Presence.ONLINE);
    f.ca().send(new StatusNotifyRequest(f.a(), Presence.INVISIBLE));
    f.ca().expectError(10, CommandType.C_STATUS_NOTIFY);
    f.cb().expectSilence(QUIET);
    f.ca().send(new StatusNotifyRequest(f.a(), Presence.OFFLINE));
    f.ca().expectError(0, CommandType.C_STATUS_NOTIFY);
    ImpsServerExtension.expectStatus(f.cb(), f.a(), Presence.OFFLINE);
  }

  @Test
  void friendListsAreLimited() throws IOException {
    String a = uniqueName("la");
    FrameClient ca = server.newUser(a);
    for (int i = 0; i < 3; i++) {
      ca.send(new FriendListRequest(a));
    }
    ca.expect(FriendListResponse.class);
    ca.expect(FriendListResponse.class);
    ca.expectError(10, CommandType.C_FRIENDLIST_REFURBISH_REQ);
  }

  @Test
  void storedFixesAreLimitedPerUserAndARefusedHeartbeatStoresNothing() throws IOException {
    String a = uniqueName("la");
    FrameClient ca = server.newUser(a);
    ca.send(new HeartbeatRequest(a, fixes(3)));
    ca.expect(HeartbeatResponse.INSTANCE);
    ca.send(new HeartbeatRequest(a, fixes(3)));
    ca.expectError(10, CommandType.C_HEARTBEAT_REQ);
    // A heartbeat without fixes is always answered.
    ca.send(new HeartbeatRequest(a, List.of()));
    ca.expect(HeartbeatResponse.INSTANCE);
    ca.send(new HeartbeatRequest(a, fixes(2)));
    ca.expect(HeartbeatResponse.INSTANCE);
    long id = server.store().accounts().findByKey(a.toLowerCase()).orElseThrow().id();
    assertThat(server.store().locations().history(id)).hasSize(5);
  }

  @Test
  void friendRequestsAreLimited() throws IOException {
    String a = uniqueName("la");
    FrameClient ca = server.newUser(a);
    List<String> others = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      others.add(uniqueName("lt"));
    }
    server.register(others.toArray(String[]::new));
    for (int i = 0; i < 3; i++) {
      ca.send(new AddFriendRequest(a, others.get(i)));
      ca.expectError(0, CommandType.C_ADDFRIEND_REQ);
    }
    ca.send(new AddFriendRequest(a, others.get(3)));
    ca.expectError(10, CommandType.C_ADDFRIEND_REQ);
    // The refused request was not stored: nothing reaches that user at login.
    try (FrameClient t = server.login(others.get(3))) {
      t.expectSilence(QUIET);
    }
  }

  @Test
  void unknownNamesHaveASmallBudgetAfterWhichNoReplyTellsWhetherANameExists() throws IOException {
    LoggedInFriends f = server.friends("la", "lb");
    String stranger = uniqueName("ls");
    server.register(stranger);
    f.ca().send(new SendMessage(f.a(), uniqueName("nobody"), "hi"));
    f.ca().expectError(2, CommandType.C_SEND_MSG);
    f.ca().send(new AddFriendRequest(f.a(), uniqueName("nobody")));
    assertThat(f.ca().expect(AddFriendResponse.class).result())
        .isEqualTo(AddFriendResponse.Result.NO_SUCH_USER);
    // Budget spent: unknown and existing non-friends look alike.
    f.ca().send(new SendMessage(f.a(), uniqueName("nobody"), "hi"));
    f.ca().expectError(10, CommandType.C_SEND_MSG);
    f.ca().send(new SendMessage(f.a(), stranger, "hi"));
    f.ca().expectError(10, CommandType.C_SEND_MSG);
    f.ca().send(new AddFriendRequest(f.a(), stranger));
    f.ca().expectError(10, CommandType.C_ADDFRIEND_REQ);
    // A token comes back every 5 minutes (and the message bucket, spent by now, fills again).
    clock.advance(Duration.ofMinutes(5));
    // Friends are reachable whatever the budget.
    f.ca().send(new SendMessage(f.a(), f.b(), "hi"));
    f.ca().expectError(0, CommandType.C_SEND_MSG);
    f.ca().send(new SendMessage(f.a(), stranger, "hi"));
    f.ca().expectError(9, CommandType.C_SEND_MSG);
  }

  @Test
  void unfriendAndBlockShareTheUnknownNamesBudget() throws IOException {
    // C_UNFRIEND and C_BLOCK answer error 2 for an unknown name and 0 for any existing one, with no
    // budget of their own: unblocking (which changes nothing) was a free oracle of which names
    // exist, past the unknown-names budget that friend requests and messages keep (M4).
    String me = uniqueName("ub");
    String stranger = uniqueName("us");
    server.register(me, stranger);
    LoggedInFriends f = server.friends("uf", "ug");
    f.ca().close();
    try (FrameClient c = server.optIn(me, Set.of(Feature.SOCIAL))) {
      c.send(new BlockRequest(uniqueName("nobody"), false));
      c.expectError(2, CommandType.C_BLOCK);
      c.send(new Unfriend(uniqueName("nobody")));
      c.expectError(2, CommandType.C_UNFRIEND);
      // Budget spent: unknown names and existing strangers look alike.
      c.send(new BlockRequest(uniqueName("nobody"), false));
      c.expectError(10, CommandType.C_BLOCK);
      c.send(new BlockRequest(stranger, false));
      c.expectError(10, CommandType.C_BLOCK);
      c.send(new Unfriend(uniqueName("nobody")));
      c.expectError(10, CommandType.C_UNFRIEND);
      c.send(new Unfriend(stranger));
      c.expectError(10, CommandType.C_UNFRIEND);
      c.send(new BlockRequest(stranger, true));
      c.expectError(10, CommandType.C_BLOCK);
      // A token comes back every 5 minutes: a stranger can be blocked again, and then unblocked
      // whatever the budget (the user's own block list names it).
      clock.advance(Duration.ofMinutes(5));
      c.send(new BlockRequest(stranger, true));
      c.expectError(0, CommandType.C_BLOCK);
      c.send(new BlockRequest(uniqueName("nobody"), true));
      c.expectError(2, CommandType.C_BLOCK);
      c.send(new BlockRequest(stranger, false));
      c.expectError(0, CommandType.C_BLOCK);
    }
    // Friends can be unfriended whatever the budget.
    try (FrameClient c = server.optIn(f.a(), Set.of(Feature.SOCIAL))) {
      for (int i = 0; i < 3; i++) {
        c.send(new Unfriend(uniqueName("nobody")));
        c.expectError(i < 2 ? 2 : 10, CommandType.C_UNFRIEND);
      }
      c.send(new Unfriend(f.b()));
      c.expectError(0, CommandType.C_UNFRIEND);
    }
  }

  @Test
  void historyOfStrangersSharesTheUnknownNamesBudget() throws IOException {
    // C_HISTORY answered error 2 for an unknown peer and an empty page for any existing one, with
    // no budget: a free oracle of which names exist, as unblocking was.
    String stranger = uniqueName("hs");
    server.register(stranger);
    LoggedInFriends f = server.friends("ha", "hb");
    f.ca().send(new SendMessage(f.a(), f.b(), "kept"));
    f.ca().expectError(0, CommandType.C_SEND_MSG);
    f.cb().expect(MessagePush.class);
    f.ca().close();
    try (FrameClient c = server.optIn(f.a(), Set.of(Feature.HISTORY))) {
      for (int i = 0; i < 2; i++) {
        c.send(new HistoryRequest(uniqueName("nobody"), 0, false, 10));
        c.expectError(2, CommandType.C_HISTORY);
      }
      // Budget spent: unknown names and existing strangers look alike.
      c.send(new HistoryRequest(uniqueName("nobody"), 0, false, 10));
      c.expectError(10, CommandType.C_HISTORY);
      c.send(new HistoryRequest(stranger, 0, false, 10));
      c.expectError(10, CommandType.C_HISTORY);
      // A friend's history is read whatever the budget.
      c.send(new HistoryRequest(f.b(), 0, false, 10));
      assertThat(c.expect(HistoryPage.class).entries())
          .extracting(HistoryPage.Entry::text)
          .containsExactly("kept");
    }
  }

  private static List<LocationFix> fixes(int n) {
    List<LocationFix> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new LocationFix("2026-11-30 08:00:0" + i, "1," + i));
    }
    return out;
  }
}
