package imps.server.friend;

import static imps.server.ImpsServerExtension.PASSWORD;
import static imps.server.ImpsServerExtension.expectStatus;
import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.CommandType;
import imps.protocol.Feature;
import imps.protocol.Presence;
import imps.protocol.message.AddFriendRequest;
import imps.protocol.message.BlockListRequest;
import imps.protocol.message.BlockListResponse;
import imps.protocol.message.BlockRequest;
import imps.protocol.message.ChangePassword;
import imps.protocol.message.DeleteAccount;
import imps.protocol.message.FriendListRequest;
import imps.protocol.message.FriendListResponse;
import imps.protocol.message.FriendRemoved;
import imps.protocol.message.FriendRequestPush;
import imps.protocol.message.HeartbeatRequest;
import imps.protocol.message.HeartbeatResponse;
import imps.protocol.message.Hello;
import imps.protocol.message.HelloResponse;
import imps.protocol.message.LocationFix;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.LoginResponse;
import imps.protocol.message.MessagePush;
import imps.protocol.message.ResumeRequest;
import imps.protocol.message.SendMessage;
import imps.protocol.message.StatusNotifyRequest;
import imps.protocol.message.Track;
import imps.protocol.message.TrackRequest;
import imps.protocol.message.Unfriend;
import imps.server.ImpsServerExtension;
import imps.server.LoggedInFriends;
import imps.testsupport.FrameClient;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Friends and account control (docs/PROTOCOL.md 8.5) over TCP. */
class SocialIT {
  private static final Duration QUIET = Duration.ofMillis(400);
  private static final String FIX_TIME = "2026-11-28 12:00:00";
  private static final long TRACK_TO = 4_102_444_800L; // 2100-01-01

  @RegisterExtension static final ImpsServerExtension server = ImpsServerExtension.withDefaults();

  /** Two friends, both opted into SOCIAL, each with nothing left to read. */
  static LoggedInFriends socialFriends(String prefix) throws IOException {
    return socialFriends(prefix, Set.of(Feature.SOCIAL));
  }

  /** Two friends, both opted into {@code features}, each with nothing left to read. */
  static LoggedInFriends socialFriends(String prefix, Set<Feature> features) throws IOException {
    LoggedInFriends f = server.friends(prefix + "a", prefix + "b");
    f.ca().close();
    expectStatus(f.cb(), f.a(), Presence.OFFLINE);
    FrameClient ca = server.optIn(f.a(), features);
    expectStatus(f.cb(), f.a(), Presence.ONLINE);
    f.cb().close();
    expectStatus(ca, f.b(), Presence.OFFLINE);
    FrameClient cb = server.optIn(f.b(), features);
    expectStatus(ca, f.b(), Presence.ONLINE);
    return new LoggedInFriends(f.a(), ca, f.b(), cb);
  }

  private static FriendListResponse friendList(FrameClient c, String me) throws IOException {
    c.send(new FriendListRequest(me));
    return c.expect(FriendListResponse.class);
  }

  @Test
  void unfriendEndsMessagesAndPresenceBothWaysAndTellsTheOtherSide() throws IOException {
    LoggedInFriends f = socialFriends("uf");
    f.ca().send(new Unfriend(f.b()));
    f.ca().expectError(0, CommandType.C_UNFRIEND);
    f.cb().expect(new FriendRemoved(f.a()));
    assertThat(friendList(f.ca(), f.a()).friends()).isEmpty();
    assertThat(friendList(f.cb(), f.b()).friends()).isEmpty();
    f.cb().send(new SendMessage(f.b(), f.a(), "still there?"));
    f.cb().expectError(9, CommandType.C_SEND_MSG);
    f.ca().send(new SendMessage(f.a(), f.b(), "bye"));
    f.ca().expectError(9, CommandType.C_SEND_MSG);
    // Presence is no longer shared: b going away is not pushed to a.
    f.cb().close();
    f.ca().expectSilence(QUIET);
    // Unfriending again is acknowledged too.
    f.ca().send(new Unfriend(f.b()));
    f.ca().expectError(0, CommandType.C_UNFRIEND);
  }

  @Test
  void afterUnfriendStatusChangesAndTracksAreNoLongerShared() throws IOException {
    LoggedInFriends f = socialFriends("ut", Set.of(Feature.SOCIAL, Feature.TRACKS));
    f.ca().send(new HeartbeatRequest(f.a(), List.of(new LocationFix(FIX_TIME, "1.5,2.5"))));
    f.ca().expect(HeartbeatResponse.class);
    // While friends, b reads a's track.
    f.cb().send(new TrackRequest(f.a(), 0, TRACK_TO, 10));
    assertThat(f.cb().expect(Track.class).total()).isEqualTo(1);

    f.ca().send(new Unfriend(f.b()));
    f.ca().expectError(0, CommandType.C_UNFRIEND);
    f.cb().expect(new FriendRemoved(f.a()));
    // a's status changes reach b no more.
    f.ca().send(new StatusNotifyRequest(f.a(), Presence.INVISIBLE));
    f.ca().expectError(0, CommandType.C_STATUS_NOTIFY);
    f.ca().send(new StatusNotifyRequest(f.a(), Presence.ONLINE));
    f.ca().expectError(0, CommandType.C_STATUS_NOTIFY);
    f.cb().expectSilence(QUIET);
    // Nor their tracks, either way; a's own is still a's.
    f.cb().send(new TrackRequest(f.a(), 0, TRACK_TO, 10));
    f.cb().expectError(9, CommandType.C_TRACK);
    f.ca().send(new TrackRequest(f.b(), 0, TRACK_TO, 10));
    f.ca().expectError(9, CommandType.C_TRACK);
    f.ca().send(new TrackRequest(f.a(), 0, TRACK_TO, 10));
    assertThat(f.ca().expect(Track.class).total()).isEqualTo(1);
  }

  @Test
  void aLegacyClientIsNotToldAndFindsTheFriendGoneFromItsList() throws IOException {
    LoggedInFriends f = server.friends("lga", "lgb");
    f.ca().close();
    expectStatus(f.cb(), f.a(), Presence.OFFLINE);
    FrameClient ca = server.optIn(f.a(), Set.of(Feature.SOCIAL));
    expectStatus(f.cb(), f.a(), Presence.ONLINE);
    ca.send(new Unfriend(f.b()));
    ca.expectError(0, CommandType.C_UNFRIEND);
    f.cb().expectSilence(QUIET);
    assertThat(friendList(f.cb(), f.b()).friends()).isEmpty();
  }

  @Test
  void unfriendNeedsTheFeatureAndAKnownName() throws IOException {
    LoggedInFriends f = server.friends("nfa", "nfb");
    f.ca().send(new Unfriend(f.b()));
    f.ca().expectError(3, CommandType.C_UNFRIEND);
    assertThat(friendList(f.ca(), f.a()).friends()).hasSize(1);
    f.ca().close();
    expectStatus(f.cb(), f.a(), Presence.OFFLINE);
    FrameClient ca = server.optIn(f.a(), Set.of(Feature.SOCIAL));
    ca.send(new Unfriend("nobody-" + f.b()));
    ca.expectError(2, CommandType.C_UNFRIEND);
  }

  @Test
  void blockingUnfriendsAndSilentlyIgnoresRequestsAndRefusesMessages() throws IOException {
    LoggedInFriends f = socialFriends("bl");
    f.ca().send(new BlockRequest(f.b(), true));
    f.ca().expectError(0, CommandType.C_BLOCK);
    f.cb().expect(new FriendRemoved(f.a()));
    f.ca().send(BlockListRequest.INSTANCE);
    f.ca().expect(new BlockListResponse(List.of(f.b())));
    // b's messages are refused as between strangers; its friend request is answered as if sent,
    // and never reaches a.
    f.cb().send(new SendMessage(f.b(), f.a(), "why?"));
    f.cb().expectError(9, CommandType.C_SEND_MSG);
    f.cb().send(new AddFriendRequest(f.b(), f.a()));
    f.cb().expectError(0, CommandType.C_ADDFRIEND_REQ);
    f.ca().expectSilence(QUIET);
    // a cannot ask b while blocking b.
    f.ca().send(new AddFriendRequest(f.a(), f.b()));
    f.ca().expectError(3, CommandType.C_ADDFRIEND_REQ);
    f.ca().send(new BlockRequest(f.b(), false));
    f.ca().expectError(0, CommandType.C_BLOCK);
    f.ca().send(BlockListRequest.INSTANCE);
    f.ca().expect(new BlockListResponse(List.of()));
    f.cb().send(new AddFriendRequest(f.b(), f.a()));
    f.cb().expectError(0, CommandType.C_ADDFRIEND_REQ);
    f.ca().expect(FriendRequestPush.class);
  }

  @Test
  void aNonFriendCanBeBlockedButNotOneself() throws IOException {
    String me = ImpsServerExtension.uniqueName("bm");
    String stranger = ImpsServerExtension.uniqueName("bs");
    server.register(me, stranger);
    FrameClient c = server.optIn(me, Set.of(Feature.SOCIAL));
    c.send(new BlockRequest(stranger, true));
    c.expectError(0, CommandType.C_BLOCK);
    c.send(new BlockRequest(me, true));
    c.expectError(8, CommandType.C_BLOCK);
    c.send(new BlockRequest("nobody-" + me, true));
    c.expectError(2, CommandType.C_BLOCK);
    c.send(BlockListRequest.INSTANCE);
    c.expect(new BlockListResponse(List.of(stranger)));
  }

  @Test
  void changingThePasswordNeedsTheCurrentOneAndRevokesSessionTokens() throws IOException {
    String name = ImpsServerExtension.uniqueName("pw");
    server.register(name);
    FrameClient c = server.connect();
    c.send(new Hello(1, Set.of(Feature.SOCIAL, Feature.ACKS)));
    c.expect(HelloResponse.class);
    c.send(new LoginRequest(name, PASSWORD));
    String token = c.expect(LoginResponse.class).token();
    assertThat(token).isNotBlank();
    c.send(new ChangePassword("not-" + PASSWORD, "n3w-secret"));
    c.expectError(6, CommandType.C_PASSWD);
    c.send(new ChangePassword(PASSWORD, "n3w-secret"));
    c.expectError(0, CommandType.C_PASSWD);
    // This connection stays logged in.
    c.send(new FriendListRequest(name));
    c.expect(FriendListResponse.class);
    c.close();
    // The token no longer resumes, the old password no longer logs in, the new one does.
    FrameClient r = server.connect();
    r.send(new Hello(1, Set.of(Feature.ACKS)));
    r.expect(HelloResponse.class);
    r.send(new ResumeRequest(name, token, 0));
    r.expectError(6, CommandType.C_RESUME);
    FrameClient old = server.connect();
    old.send(new LoginRequest(name, PASSWORD));
    old.expectError(6, CommandType.C_LOGIN_REQ);
    FrameClient fresh = server.connect();
    fresh.send(new LoginRequest(name, "n3w-secret"));
    assertThat(fresh.expect(LoginResponse.class).userName()).isEqualTo(name);
  }

  @Test
  void deletingTheAccountNeedsThePasswordRemovesItForFriendsAndFreesTheName() throws IOException {
    LoggedInFriends f = socialFriends("del");
    f.ca().send(new DeleteAccount("not-" + PASSWORD));
    f.ca().expectError(6, CommandType.C_DELETE_ACCOUNT);
    f.cb().send(new SendMessage(f.b(), f.a(), "waiting for you"));
    f.cb().expectError(0, CommandType.C_SEND_MSG);
    f.ca().expect(MessagePush.class);
    f.ca().send(new DeleteAccount(PASSWORD));
    f.ca().expectError(0, CommandType.C_DELETE_ACCOUNT);
    f.ca().expectClosed(Duration.ofSeconds(5));
    expectStatus(f.cb(), f.a(), Presence.OFFLINE);
    f.cb().expect(new FriendRemoved(f.a()));
    assertThat(friendList(f.cb(), f.b()).friends()).isEmpty();
    f.cb().send(new SendMessage(f.b(), f.a(), "hello?"));
    f.cb().expectError(2, CommandType.C_SEND_MSG);
    FrameClient old = server.connect();
    old.send(new LoginRequest(f.a(), PASSWORD));
    old.expectError(6, CommandType.C_LOGIN_REQ);
    // The name is free again: a new account with nothing of the old one.
    server.register(f.a());
    FrameClient again = server.login(f.a());
    assertThat(friendList(again, f.a()).friends()).isEmpty();
    again.expectSilence(QUIET);
  }
}
