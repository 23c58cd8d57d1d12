package imps.server.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.CommandType;
import imps.protocol.ErrorCode;
import imps.protocol.Feature;
import imps.protocol.Presence;
import imps.protocol.message.AddFriendRequest;
import imps.protocol.message.BlockListRequest;
import imps.protocol.message.BlockListResponse;
import imps.protocol.message.BlockRequest;
import imps.protocol.message.ChangePassword;
import imps.protocol.message.DeleteAccount;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.FriendListRequest;
import imps.protocol.message.FriendListResponse;
import imps.protocol.message.FriendRemoved;
import imps.protocol.message.FriendRequestPush;
import imps.protocol.message.HeartbeatRequest;
import imps.protocol.message.HeartbeatResponse;
import imps.protocol.message.Hello;
import imps.protocol.message.HelloResponse;
import imps.protocol.message.HistoryPage;
import imps.protocol.message.HistoryRequest;
import imps.protocol.message.LiveLocationsRequest;
import imps.protocol.message.LocationFix;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.LoginResponse;
import imps.protocol.message.MessagePush;
import imps.protocol.message.ResumeRequest;
import imps.protocol.message.SendMessage;
import imps.protocol.message.StatusNotifyPush;
import imps.protocol.message.Track;
import imps.protocol.message.TrackRequest;
import imps.protocol.message.Unfriend;
import imps.server.ImpsServer;
import imps.server.ImpsServerExtension;
import imps.server.ServerFixture;
import imps.server.store.PostgresTestDatabase;
import imps.testsupport.FrameClient;
import imps.testsupport.RedisTestServer;
import imps.testsupport.Services;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Friends and account control (docs/PROTOCOL.md 8.5) across two nodes sharing PostgreSQL and a
 * Redis server of this class's own: what one node does holds for users on the other.
 */
class SocialClusterIT {
  @RegisterExtension static final PostgresTestDatabase db = PostgresTestDatabase.perClass();
  @RegisterExtension static final RedisTestServer redis = RedisTestServer.perClass();
  private static ImpsServer nodeA;
  private static ImpsServer nodeB;
  private final List<FrameClient> clients = new ArrayList<>();

  @BeforeAll
  static void startCluster() throws IOException {
    Services.requirePostgres();
    nodeA = ImpsServer.start(ClusterNodes.config("a", db, redis.uri(), ClusterIT.NODE_TTL).build());
    nodeB = ImpsServer.start(ClusterNodes.config("b", db, redis.uri(), ClusterIT.NODE_TTL).build());
  }

  @AfterAll
  static void stopCluster() {
    if (nodeA != null) {
      nodeA.close();
    }
    if (nodeB != null) {
      nodeB.close();
    }
  }

  @AfterEach
  void closeClients() {
    for (FrameClient c : clients) {
      try {
        c.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  private FrameClient optIn(int port, String name, Set<Feature> features) throws IOException {
    FrameClient c = FrameClient.connect(port);
    clients.add(c);
    c.send(new Hello(1, features));
    c.expect(HelloResponse.class);
    c.send(new LoginRequest(name, ImpsServerExtension.PASSWORD));
    c.expect(LoginResponse.class);
    return c;
  }

  @Test
  void unfriendOnOneNodeEndsMessagesAndPresenceOnTheOther() throws IOException {
    String a = ServerFixture.uniqueName("sca");
    String b = ServerFixture.uniqueName("scb");
    ServerFixture.registerOn(nodeA.port(), a, b);
    FrameClient ca = optIn(nodeA.port(), a, Set.of(Feature.SOCIAL));
    FrameClient cb = optIn(nodeB.port(), b, Set.of(Feature.SOCIAL));
    ServerFixture.befriend(ca, a, cb, b);
    // b's node has just seen them as friends (and remembers the pair).
    cb.send(new SendMessage(b, a, "before"));
    cb.expectError(0, CommandType.C_SEND_MSG);
    ca.awaitMatching(MessagePush.class, m -> m.message().equals("before"));

    ca.send(new Unfriend(b));
    ca.expectError(0, CommandType.C_UNFRIEND);
    cb.expect(new FriendRemoved(a));
    cb.send(new FriendListRequest(b));
    assertThat(cb.expect(FriendListResponse.class).friends()).isEmpty();
    // b's node forgot the pair when the push reached b's session: refused at once.
    cb.send(new SendMessage(b, a, "refused"));
    cb.expectError(9, CommandType.C_SEND_MSG);
    cb.close();
    // Presence is no longer shared either.
    ca.expectSilence(Duration.ofMillis(500));
  }

  @Test
  void unfriendOnOneNodeEndsLiveLocationsAndTracksBothWays() throws IOException {
    String a = ServerFixture.uniqueName("scla");
    String b = ServerFixture.uniqueName("sclb");
    ServerFixture.registerOn(nodeA.port(), a, b);
    Set<Feature> features = Set.of(Feature.SOCIAL, Feature.LIVE_LOCATIONS, Feature.TRACKS);
    FrameClient ca = optIn(nodeA.port(), a, features);
    FrameClient cb = optIn(nodeB.port(), b, features);
    ServerFixture.befriend(ca, a, cb, b);
    for (FrameClient c : List.of(ca, cb)) {
      c.send(new LiveLocationsRequest(true));
      c.expectError(0, CommandType.C_LIVE_LOCATIONS);
    }
    // Each can read the other's track while friends (what the live push needs is in
    // ClusterIT.liveLocationsReachAFriendOnTheOtherNode).
    long from = Instant.parse("2026-11-27T00:00:00Z").getEpochSecond();
    long to = Instant.parse("2026-11-30T00:00:00Z").getEpochSecond();
    cb.send(new TrackRequest(a, from, to, 0));
    assertThat(cb.expect(Track.class).userName()).isEqualTo(a);

    ca.send(new Unfriend(b));
    ca.expectError(0, CommandType.C_UNFRIEND);
    cb.expect(new FriendRemoved(a));
    ca.send(
        new HeartbeatRequest(a, List.of(new LocationFix("2026-11-28 12:00:00", "23.13,113.26"))));
    ca.expect(HeartbeatResponse.class);
    cb.send(
        new HeartbeatRequest(b, List.of(new LocationFix("2026-11-28 12:00:00", "23.12,113.26"))));
    cb.expect(HeartbeatResponse.class);
    // Neither position reaches the other node's user, and neither track can be read any more.
    ca.expectSilence(Duration.ofMillis(500));
    cb.expectSilence(Duration.ofMillis(300));
    cb.send(new TrackRequest(a, from, to, 0));
    cb.expectError(9, CommandType.C_TRACK);
    ca.send(new TrackRequest(b, from, to, 0));
    ca.expectError(9, CommandType.C_TRACK);
  }

  @Test
  void passwordChangedOnOneNodeHoldsOnTheOther() throws IOException {
    String u = ServerFixture.uniqueName("scp");
    ServerFixture.registerOn(nodeA.port(), u);
    // Node B verifies (and caches) the old password, and issues a session token.
    FrameClient first = FrameClient.connect(nodeB.port());
    clients.add(first);
    first.send(new Hello(1, Set.of(Feature.ACKS)));
    first.expect(HelloResponse.class);
    first.send(new LoginRequest(u, ImpsServerExtension.PASSWORD));
    String token = first.expect(LoginResponse.class).token();
    first.close();

    FrameClient onA = optIn(nodeA.port(), u, Set.of(Feature.SOCIAL));
    onA.send(new ChangePassword(ImpsServerExtension.PASSWORD, "n3w-secret"));
    onA.expectError(0, CommandType.C_PASSWD);

    FrameClient old = FrameClient.connect(nodeB.port());
    clients.add(old);
    old.send(new LoginRequest(u, ImpsServerExtension.PASSWORD));
    old.expectError(6, CommandType.C_LOGIN_REQ);
    FrameClient resume = FrameClient.connect(nodeB.port());
    clients.add(resume);
    resume.send(new Hello(1, Set.of(Feature.ACKS)));
    resume.expect(HelloResponse.class);
    resume.send(new ResumeRequest(u, token, 0));
    resume.expectError(6, CommandType.C_RESUME);
    FrameClient fresh = FrameClient.connect(nodeB.port());
    clients.add(fresh);
    fresh.send(new LoginRequest(u, "n3w-secret"));
    assertThat(fresh.expect(LoginResponse.class).userName()).isEqualTo(u);
    // The new login on B replaced the session on A, through the router.
    onA.expectError(7, 0);
  }

  /**
   * a on node A and b on node B, both opted into SOCIAL and HISTORY, friends, each with nothing to
   * read.
   */
  private FrameClient[] friendsAcrossNodes(String a, String b) throws IOException {
    FrameClient ca = optIn(nodeA.port(), a, Set.of(Feature.SOCIAL, Feature.HISTORY));
    FrameClient cb = optIn(nodeB.port(), b, Set.of(Feature.SOCIAL, Feature.HISTORY));
    ServerFixture.befriend(ca, a, cb, b);
    cb.send(new SendMessage(b, a, "before"));
    cb.expectError(0, CommandType.C_SEND_MSG);
    ca.awaitMatching(MessagePush.class, m -> m.message().equals("before"));
    return new FrameClient[] {ca, cb};
  }

  @Test
  void aBlockMadeOnOneNodeHoldsForTheBlockedUserOnTheOther() throws IOException {
    String a = ServerFixture.uniqueName("sbka");
    String b = ServerFixture.uniqueName("sbkb");
    ServerFixture.registerOn(nodeA.port(), a, b);
    FrameClient[] c = friendsAcrossNodes(a, b);
    FrameClient ca = c[0];
    FrameClient cb = c[1];

    ca.send(new BlockRequest(b, true));
    ca.expectError(0, CommandType.C_BLOCK);
    cb.expect(new FriendRemoved(a));
    // From node B, b's messages are refused as between strangers, and its friend request is
    // answered as if sent but never reaches a on node A.
    cb.send(new SendMessage(b, a, "why?"));
    cb.expectError(9, CommandType.C_SEND_MSG);
    cb.send(new AddFriendRequest(b, a));
    cb.expectError(0, CommandType.C_ADDFRIEND_REQ);
    ca.expectSilence(Duration.ofMillis(500));

    // a's block list, read on node B, has b.
    ca.close();
    FrameClient aOnB = optIn(nodeB.port(), a, Set.of(Feature.SOCIAL));
    aOnB.send(BlockListRequest.INSTANCE);
    aOnB.expect(new BlockListResponse(List.of(b)));
    cb.expectSilence(Duration.ofMillis(300));

    // Lifted on node B, the block no longer holds on node A: b's next request reaches a there
    // (the one made while blocked was never stored).
    aOnB.send(new BlockRequest(b, false));
    aOnB.expectError(0, CommandType.C_BLOCK);
    aOnB.send(BlockListRequest.INSTANCE);
    aOnB.expect(new BlockListResponse(List.of()));
    aOnB.close();
    FrameClient aOnA = optIn(nodeA.port(), a, Set.of(Feature.SOCIAL));
    aOnA.expectSilence(Duration.ofMillis(300));
    cb.send(new AddFriendRequest(b, a));
    cb.expectError(0, CommandType.C_ADDFRIEND_REQ);
    aOnA.expect(new FriendRequestPush(b));
  }

  @Test
  void anAccountDeletedOnOneNodeDisappearsForFriendsAndLoginsOnTheOther() throws IOException {
    String a = ServerFixture.uniqueName("sdla");
    String b = ServerFixture.uniqueName("sdlb");
    ServerFixture.registerOn(nodeA.port(), a, b);
    // Node B verifies (and caches) a's password first.
    FrameClient first = FrameClient.connect(nodeB.port());
    clients.add(first);
    first.send(new LoginRequest(a, ImpsServerExtension.PASSWORD));
    first.expect(LoginResponse.class);
    first.close();
    FrameClient[] c = friendsAcrossNodes(a, b);
    FrameClient ca = c[0];
    FrameClient cb = c[1];

    ca.send(new DeleteAccount(ImpsServerExtension.PASSWORD));
    ca.expectError(0, CommandType.C_DELETE_ACCOUNT);
    ca.expectClosed(Duration.ofSeconds(5));
    // b, on node B, sees a go offline and be removed.
    List<Object> seen = new ArrayList<>();
    seen.add(cb.next());
    seen.add(cb.next());
    assertThat(seen)
        .containsExactlyInAnyOrder(new StatusNotifyPush(a, Presence.OFFLINE), new FriendRemoved(a));
    cb.send(new FriendListRequest(b));
    assertThat(cb.expect(FriendListResponse.class).friends()).isEmpty();
    // Refused: as to an unknown name (2), or, while node B's name cache still knows the name (at
    // most AccountService.NAME_RECHECK, docs: "other nodes' name caches"), as to a stranger (9).
    cb.send(new SendMessage(b, a, "hello?"));
    ErrorResponse refused = cb.expect(ErrorResponse.class);
    assertThat(refused.cmd()).isEqualTo(CommandType.C_SEND_MSG.value());
    assertThat(refused.code()).isIn(ErrorCode.NO_SUCH_USER, ErrorCode.NOT_FRIENDS);
    // The conversation went with the account: none of it is left for b to read on node B.
    cb.send(new HistoryRequest(a, 0, false, 10));
    Object history = cb.next();
    if (history instanceof ErrorResponse e) {
      assertThat(e).isEqualTo(ErrorResponse.of(ErrorCode.NO_SUCH_USER, CommandType.C_HISTORY));
    } else {
      assertThat(((HistoryPage) history).entries()).isEmpty(); // node B's name cache, as above
    }
    // Node B no longer lets a in, although it had the password cached.
    FrameClient again = FrameClient.connect(nodeB.port());
    clients.add(again);
    again.send(new LoginRequest(a, ImpsServerExtension.PASSWORD));
    again.expectError(6, CommandType.C_LOGIN_REQ);
  }
}
