package imps.server.friend;

import static imps.server.ServiceFixture.take;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import imps.protocol.ErrorCode;
import imps.protocol.Presence;
import imps.protocol.message.AddFriendResponse;
import imps.protocol.message.FriendInfo;
import imps.protocol.message.FriendRequestPush;
import imps.protocol.message.ImpsMessage;
import imps.server.ServiceFixture;
import imps.server.error.RequestException;
import imps.server.session.Session;
import imps.server.store.Fix;
import imps.server.store.Outcome;
import imps.server.store.PendingRequest;
import imps.server.store.UserRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Friend requests, answers, outcomes and the friend list (section 7.5), without a network. */
class FriendServiceTest {
  @TempDir Path dir;
  ServiceFixture services;
  FriendService friends;
  UserRecord alice;
  UserRecord bob;

  @BeforeEach
  void open() {
    services = new ServiceFixture(dir);
    friends = services.friends();
    alice = services.user("alice");
    bob = services.user("bob");
  }

  @AfterEach
  void close() {
    services.close();
  }

  private static FriendInfo info(UserRecord u, Presence status) {
    return new FriendInfo(u.name(), status, "", "");
  }

  private List<String> pendingFor(UserRecord u) {
    return services.store().friends().pendingFor(u.id()).stream()
        .map(PendingRequest::fromName)
        .toList();
  }

  private boolean areFriends(UserRecord a, UserRecord b) {
    return services.store().friends().areFriends(a.id(), b.id());
  }

  @Test
  void aRequestToAnUnknownUserIsAnsweredNoSuchUser() {
    assertThat(friends.request(alice, "nobody")).contains(AddFriendResponse.noSuchUser("nobody"));
  }

  @Test
  void aRequestToOneselfInAnyCaseIsMalformed() {
    assertThatThrownBy(() -> friends.request(alice, "ALICE"))
        .isInstanceOfSatisfying(
            RequestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED));
  }

  @Test
  void aRequestIsStoredAndPushedToTheOnlineRecipientOnce() {
    Session b = services.online(bob);
    assertThat(friends.request(alice, "Bob")).as("acknowledged, not answered").isEmpty();
    assertThat(take(b)).containsExactly(new FriendRequestPush("alice"));
    assertThat(pendingFor(bob)).containsExactly("alice");

    assertThat(friends.request(alice, "bob")).isEmpty();
    assertThat(take(b)).as("pending already: not pushed again").isEmpty();
    assertThat(pendingFor(bob)).containsExactly("alice");
  }

  @Test
  void aRequestToAnOfflineUserWaitsInTheStore() {
    assertThat(friends.request(alice, "bob")).isEmpty();
    assertThat(pendingFor(bob)).containsExactly("alice");
    assertThat(areFriends(alice, bob)).isFalse();
  }

  @Test
  void crossedRequestsMakeFriendsAtOnceAndTellTheFirstAsker() {
    Session a = services.online(alice);
    friends.request(alice, "bob");
    assertThat(friends.request(bob, "alice"))
        .contains(AddFriendResponse.accepted(info(alice, Presence.ONLINE)));
    assertThat(take(a)).containsExactly(AddFriendResponse.accepted(info(bob, Presence.OFFLINE)));
    assertThat(areFriends(alice, bob)).isTrue();
    assertThat(pendingFor(alice)).isEmpty();
    assertThat(pendingFor(bob)).isEmpty();
  }

  @Test
  void aRequestBetweenFriendsIsAcceptedAtOnceWithTheFriendsInfo() {
    services.befriend(alice, bob);
    services.online(bob);
    assertThat(friends.request(alice, "bob"))
        .contains(AddFriendResponse.accepted(info(bob, Presence.ONLINE)));
    assertThat(pendingFor(bob)).isEmpty();
  }

  @Test
  void acceptingMakesFriendsTellsTheRequesterAndReturnsTheRequestersInfo() {
    Session a = services.online(alice);
    friends.request(alice, "bob");
    Optional<ImpsMessage> forBob = friends.answer(bob, "alice", true);
    assertThat(forBob).contains(AddFriendResponse.accepted(info(alice, Presence.ONLINE)));
    assertThat(take(a)).containsExactly(AddFriendResponse.accepted(info(bob, Presence.OFFLINE)));
    assertThat(areFriends(alice, bob)).isTrue();
    assertThat(pendingFor(bob)).isEmpty();
  }

  @Test
  void refusingTellsTheRequesterAndMakesNoFriends() {
    Session a = services.online(alice);
    friends.request(alice, "bob");
    assertThat(friends.answer(bob, "alice", false)).isEmpty();
    assertThat(take(a)).containsExactly(AddFriendResponse.refused("bob"));
    assertThat(areFriends(alice, bob)).isFalse();
    assertThat(pendingFor(bob)).isEmpty();
  }

  @Test
  void answeringWithOnesOwnNameAnswersTheOldestRequest() {
    UserRecord carol = services.user("carol");
    friends.request(alice, "bob");
    services.clock().advance(java.time.Duration.ofSeconds(1));
    friends.request(carol, "bob");
    assertThat(friends.answer(bob, "BOB", true))
        .contains(AddFriendResponse.accepted(info(alice, Presence.OFFLINE)));
    assertThat(areFriends(alice, bob)).isTrue();
    assertThat(areFriends(carol, bob)).isFalse();
    assertThat(pendingFor(bob)).containsExactly("carol");
  }

  @Test
  void answeringWithoutAPendingRequestIsNotPermitted() {
    assertThatThrownBy(() -> friends.answer(bob, "alice", true))
        .isInstanceOfSatisfying(
            RequestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_PERMITTED));
    assertThatThrownBy(() -> friends.answer(bob, "nobody", true))
        .isInstanceOfSatisfying(
            RequestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_PERMITTED));
    assertThatThrownBy(() -> friends.answer(bob, "bob", true))
        .as("no request at all")
        .isInstanceOfSatisfying(
            RequestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_PERMITTED));
  }

  @Test
  void aRequestPastTheFriendLimitIsRefused() {
    for (int i = 0; i < ServiceFixture.MAX_FRIENDS; i++) {
      services.befriend(alice, services.user("friend" + i));
    }
    assertThat(friends.request(alice, "bob")).contains(AddFriendResponse.refused("bob"));
    assertThat(pendingFor(bob)).isEmpty();
  }

  @Test
  void acceptingPastTheFriendLimitIsNotPermittedAndTheRequestStays() {
    friends.request(alice, "bob");
    for (int i = 0; i < ServiceFixture.MAX_FRIENDS; i++) {
      services.befriend(bob, services.user("friend" + i));
    }
    assertThatThrownBy(() -> friends.answer(bob, "alice", true))
        .isInstanceOfSatisfying(
            RequestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_PERMITTED));
    assertThat(pendingFor(bob)).containsExactly("alice");
    assertThat(areFriends(alice, bob)).isFalse();
  }

  @Test
  void anOutcomeForAnOfflineRequesterIsStoredAndShowsTheFriendAsSeenWhenSent() {
    friends.request(alice, "bob");
    friends.answer(bob, "alice", true);
    List<Outcome> stored = services.store().friends().undeliveredOutcomes(alice.id(), 0);
    assertThat(stored).hasSize(1);
    Outcome o = stored.get(0);
    assertThat(o.accepted()).isTrue();
    assertThat(friends.outcomeFrame(o))
        .isEqualTo(AddFriendResponse.accepted(info(bob, Presence.OFFLINE)));
    services.online(bob);
    assertThat(friends.outcomeFrame(o))
        .as("the status when the outcome is sent, not when it was stored")
        .isEqualTo(AddFriendResponse.accepted(info(bob, Presence.ONLINE)));
  }

  @Test
  void aRefusalOutcomeCarriesTheNameOnly() {
    friends.request(alice, "bob");
    friends.answer(bob, "alice", false);
    Outcome o = services.store().friends().undeliveredOutcomes(alice.id(), 0).get(0);
    assertThat(friends.outcomeFrame(o)).isEqualTo(AddFriendResponse.refused("bob"));
  }

  @Test
  void theFriendListShowsWhatEachFriendLetsBeSeen() {
    UserRecord carol = services.user("carol");
    services.befriend(alice, bob);
    services.befriend(alice, carol);
    services
        .store()
        .locations()
        .record(
            bob.id(),
            List.of(new Fix(ServiceFixture.START_TIME, "1.5,2.5")),
            true,
            services.clock().instant());
    services.online(bob);
    Session c = services.online(carol);
    c.setStatus(Presence.INVISIBLE);
    assertThat(friends.friendList(alice.id()))
        .containsExactly(
            new FriendInfo("bob", Presence.ONLINE, ServiceFixture.START_TIME, "1.5,2.5"),
            new FriendInfo("carol", Presence.OFFLINE, "", ""));
    assertThat(friends.friendList(bob.id())).containsExactly(info(alice, Presence.OFFLINE));
  }
}
