package imps.server.dispatch;

import static imps.server.ServiceFixture.PASSWORD;
import static imps.server.ServiceFixture.START_TIME;
import static imps.server.ServiceFixture.take;
import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.CommandType;
import imps.protocol.ErrorCode;
import imps.protocol.Gender;
import imps.protocol.Presence;
import imps.protocol.message.AddFriendAnswer;
import imps.protocol.message.AddFriendRequest;
import imps.protocol.message.AddFriendResponse;
import imps.protocol.message.AudioRequest;
import imps.protocol.message.ClipBytes;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.FriendInfo;
import imps.protocol.message.FriendListRequest;
import imps.protocol.message.FriendListResponse;
import imps.protocol.message.FriendRequestPush;
import imps.protocol.message.HeartbeatRequest;
import imps.protocol.message.HeartbeatResponse;
import imps.protocol.message.ImpsMessage;
import imps.protocol.message.LocationFix;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.LoginResponse;
import imps.protocol.message.MessagePush;
import imps.protocol.message.RegisterRequest;
import imps.protocol.message.RegisterResponse;
import imps.protocol.message.SendMessage;
import imps.protocol.message.StatusNotifyPush;
import imps.protocol.message.StatusNotifyRequest;
import imps.server.ServiceFixture;
import imps.server.delivery.Push;
import imps.server.session.Session;
import imps.server.store.Fix;
import imps.server.store.UserRecord;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One reply per request (section 7.1), the login sequence (7.2) and sign-out, through a recording
 * connection instead of a socket.
 */
class RequestDispatcherTest {
  @TempDir Path dir;
  ServiceFixture services;
  RequestDispatcher dispatcher;
  UserRecord alice;
  UserRecord bob;

  @BeforeEach
  void open() {
    services = new ServiceFixture(dir);
    dispatcher = services.dispatcher();
    alice = services.user("alice");
    bob = services.user("bob");
  }

  @AfterEach
  void close() {
    services.close();
  }

  /** Handles {@code request} on {@code s}; returns everything that wrote to {@code s}. */
  private List<ImpsMessage> handle(Session s, ImpsMessage request) {
    take(s);
    services.handle(s, request);
    return take(s);
  }

  private static ErrorResponse ack(CommandType cmd) {
    return ErrorResponse.of(ErrorCode.SUCCESS, cmd);
  }

  private static ErrorResponse error(ErrorCode code, CommandType cmd) {
    return ErrorResponse.of(code, cmd);
  }

  private static LoginResponse loggedIn(String name) {
    return new LoginResponse(name, Gender.UNSPECIFIED, name + "@example.org");
  }

  @Test
  void registrationThenLoginAnswersWithTheAccountAsRegistered() {
    Session s = services.session();
    RegisterRequest dora = new RegisterRequest("Dora", PASSWORD, Gender.FEMALE, "d@example.org");
    assertThat(handle(s, dora)).containsExactly(new RegisterResponse(true));
    assertThat(handle(s, dora)).containsExactly(new RegisterResponse(false));
    assertThat(handle(s, new LoginRequest("dora", PASSWORD)))
        .containsExactly(new LoginResponse("Dora", Gender.FEMALE, "d@example.org"));
  }

  @Test
  void everyRequestBeforeLoginIsRefusedNotLoggedIn() {
    Session s = services.session();
    List<ImpsMessage> requests =
        List.of(
            new HeartbeatRequest("x", List.of()),
            new FriendListRequest("x"),
            new AddFriendRequest("x", "y"),
            new AddFriendAnswer("x", true),
            new SendMessage("x", "y", "hi"),
            new StatusNotifyRequest("x", Presence.ONLINE),
            new AudioRequest("y", ClipBytes.copyOf(new byte[] {1}), ""));
    for (ImpsMessage r : requests) {
      assertThat(handle(s, r)).containsExactly(error(ErrorCode.NOT_LOGGED_IN, r.commandType()));
    }
  }

  @Test
  void badCredentialsAndASecondLoginAreRefused() {
    Session s = services.session();
    assertThat(handle(s, new LoginRequest("alice", "wrong-password")))
        .containsExactly(error(ErrorCode.BAD_CREDENTIALS, CommandType.C_LOGIN_REQ));
    assertThat(handle(s, new LoginRequest("nobody", PASSWORD)))
        .containsExactly(error(ErrorCode.BAD_CREDENTIALS, CommandType.C_LOGIN_REQ));
    assertThat(handle(s, new LoginRequest("alice", PASSWORD))).containsExactly(loggedIn("alice"));
    assertThat(handle(s, new LoginRequest("alice", PASSWORD)))
        .containsExactly(error(ErrorCode.ALREADY_LOGGED_IN, CommandType.C_LOGIN_REQ));
  }

  @Test
  void aLoginWhoseClientIsGoneLogsNobodyIn() {
    Session s = services.session();
    s.connection().close();
    assertThat(handle(s, new LoginRequest("alice", PASSWORD))).isEmpty();
    assertThat(s.isActive()).isFalse();
    assertThat(services.router().deliver(alice.id(), Push.of(loggedIn("x"))))
        .as("no session routed")
        .isFalse();
  }

  @Test
  void loginSendsRequestsThenOutcomesThenMessagesThenTellsFriends() {
    UserRecord carol = services.user("carol");
    UserRecord dave = services.user("dave");
    services.befriend(carol, bob);
    Session watcher = services.online(carol);
    services.friends().request(alice, "bob");
    services.friends().request(bob, "dave");
    services.friends().answer(dave, "bob", true);
    ServiceFixture.join(
        services.messages().sendText(carol.id(), carol.name(), "bob", "m1", 0, false));
    ServiceFixture.join(
        services.messages().sendText(carol.id(), carol.name(), "bob", "m2", 0, false));

    Session b = services.login("bob");
    assertThat(take(b))
        .containsExactly(
            loggedIn("bob"),
            new FriendRequestPush("alice"),
            AddFriendResponse.accepted(new FriendInfo("dave", Presence.OFFLINE, "", "")),
            new MessagePush("carol", "m1", START_TIME),
            new MessagePush("carol", "m2", START_TIME));
    assertThat(take(watcher)).containsExactly(new StatusNotifyPush("bob", Presence.ONLINE));

    ServiceFixture.join(dispatcher.connectionClosed(b).toCompletableFuture());
    assertThat(take(watcher)).containsExactly(new StatusNotifyPush("bob", Presence.OFFLINE));
    Session again = services.login("bob");
    assertThat(take(again))
        .as("delivered items come once; a request until it is answered")
        .containsExactly(loggedIn("bob"), new FriendRequestPush("alice"));
  }

  @Test
  void theNewestLoginWinsWithoutFriendsSeeingAFlicker() {
    services.befriend(alice, bob);
    Session watcher = services.online(bob);
    Session first = services.login("alice");
    assertThat(take(watcher)).containsExactly(new StatusNotifyPush("alice", Presence.ONLINE));

    Session second = services.login("alice");
    assertThat(take(first))
        .containsExactly(
            loggedIn("alice"), ErrorResponse.unsolicited(ErrorCode.LOGGED_IN_ELSEWHERE));
    assertThat(first.connection().isOpen()).isFalse();
    assertThat(handle(first, new FriendListRequest("alice")))
        .containsExactly(error(ErrorCode.NOT_LOGGED_IN, CommandType.C_FRIENDLIST_REFURBISH_REQ));
    assertThat(handle(second, new FriendListRequest("alice")))
        .containsExactly(
            new FriendListResponse(List.of(new FriendInfo("bob", Presence.ONLINE, "", ""))));

    ServiceFixture.join(dispatcher.connectionClosed(first).toCompletableFuture());
    assertThat(take(watcher)).as("no offline then online").isEmpty();
    ServiceFixture.join(dispatcher.connectionClosed(second).toCompletableFuture());
    assertThat(take(watcher)).containsExactly(new StatusNotifyPush("alice", Presence.OFFLINE));
  }

  @Test
  void invisibleIsToldOnceAndRememberedAndOfflineSignsOut() {
    services.befriend(alice, bob);
    Session watcher = services.online(bob);
    Session a = services.login("alice");
    take(watcher);

    StatusNotifyRequest invisible = new StatusNotifyRequest("alice", Presence.INVISIBLE);
    assertThat(handle(a, invisible)).containsExactly(ack(CommandType.C_STATUS_NOTIFY));
    assertThat(take(watcher)).containsExactly(new StatusNotifyPush("alice", Presence.OFFLINE));
    assertThat(services.account("alice").statusPreference()).isEqualTo(Presence.INVISIBLE);
    assertThat(handle(a, invisible)).containsExactly(ack(CommandType.C_STATUS_NOTIFY));
    assertThat(take(watcher)).isEmpty();

    assertThat(handle(a, new StatusNotifyRequest("alice", Presence.OFFLINE)))
        .containsExactly(ack(CommandType.C_STATUS_NOTIFY));
    assertThat(a.connection().isOpen()).isFalse();
    assertThat(handle(a, new StatusNotifyRequest("alice", Presence.ONLINE)))
        .as("a request queued behind the sign-out")
        .containsExactly(error(ErrorCode.NOT_LOGGED_IN, CommandType.C_STATUS_NOTIFY));
    assertThat(take(watcher)).as("friends saw offline already").isEmpty();

    Session again = services.login("alice");
    assertThat(take(watcher)).as("still invisible").isEmpty();
    assertThat(handle(again, new StatusNotifyRequest("alice", Presence.ONLINE)))
        .containsExactly(ack(CommandType.C_STATUS_NOTIFY));
    assertThat(take(watcher)).containsExactly(new StatusNotifyPush("alice", Presence.ONLINE));
  }

  @Test
  void actingForAnotherUserIsNotPermittedButAnotherSpellingIsFine() {
    Session a = services.login("alice");
    assertThat(handle(a, new HeartbeatRequest("bob", List.of())))
        .containsExactly(error(ErrorCode.NOT_PERMITTED, CommandType.C_HEARTBEAT_REQ));
    assertThat(handle(a, new FriendListRequest("bob")))
        .containsExactly(error(ErrorCode.NOT_PERMITTED, CommandType.C_FRIENDLIST_REFURBISH_REQ));
    assertThat(handle(a, new AddFriendRequest("bob", "alice")))
        .containsExactly(error(ErrorCode.NOT_PERMITTED, CommandType.C_ADDFRIEND_REQ));
    assertThat(handle(a, new SendMessage("bob", "alice", "spoof")))
        .containsExactly(error(ErrorCode.NOT_PERMITTED, CommandType.C_SEND_MSG));
    assertThat(handle(a, new StatusNotifyRequest("bob", Presence.INVISIBLE)))
        .containsExactly(error(ErrorCode.NOT_PERMITTED, CommandType.C_STATUS_NOTIFY));
    assertThat(handle(a, new FriendListRequest("ALICE")))
        .containsExactly(new FriendListResponse(List.of()));
  }

  @Test
  void aFriendRequestIsAcknowledgedAndAnAcceptanceFollowsItsAcknowledgement() {
    Session a = services.login("alice");
    Session b = services.login("bob");
    take(b);
    assertThat(handle(a, new AddFriendRequest("alice", "bob")))
        .containsExactly(ack(CommandType.C_ADDFRIEND_REQ));
    assertThat(take(b)).containsExactly(new FriendRequestPush("alice"));
    assertThat(handle(b, new AddFriendAnswer("alice", true)))
        .containsExactly(
            ack(CommandType.C_ADDFRIEND_RSP),
            AddFriendResponse.accepted(new FriendInfo("alice", Presence.ONLINE, "", "")));
    assertThat(take(a))
        .containsExactly(
            AddFriendResponse.accepted(new FriendInfo("bob", Presence.ONLINE, "", "")));
    assertThat(handle(a, new AddFriendRequest("alice", "nobody")))
        .containsExactly(AddFriendResponse.noSuchUser("nobody"));
  }

  @Test
  void messagesAreAcknowledgedAndRefusalsNameTheCommand() {
    UserRecord stranger = services.user("stranger");
    services.befriend(alice, bob);
    Session a = services.login("alice");
    Session b = services.login("bob");
    take(b);
    assertThat(handle(a, new SendMessage("alice", "bob", "hello")))
        .containsExactly(ack(CommandType.C_SEND_MSG));
    assertThat(take(b)).containsExactly(new MessagePush("alice", "hello", START_TIME));
    assertThat(handle(a, new SendMessage("alice", stranger.name(), "hello")))
        .containsExactly(error(ErrorCode.NOT_FRIENDS, CommandType.C_SEND_MSG));
    assertThat(handle(a, new AudioRequest("nobody", ClipBytes.copyOf(new byte[] {1}), "")))
        .containsExactly(error(ErrorCode.NO_SUCH_USER, CommandType.C_AUDIO_REQ));
    assertThat(handle(a, new SendMessage("alice", "bob", "")))
        .containsExactly(error(ErrorCode.MALFORMED, CommandType.C_SEND_MSG));
  }

  @Test
  void aHeartbeatStoresItsFixesOrNoneWhenOneIsInvalid() {
    Session a = services.login("alice");
    LocationFix good = new LocationFix("2026-11-28 12:00:00", "23.13, 113.26");
    LocationFix bad = new LocationFix("2026-11-28 12:02:00", "91,0");
    assertThat(handle(a, new HeartbeatRequest("alice", List.of(good))))
        .containsExactly(HeartbeatResponse.INSTANCE);
    assertThat(handle(a, new HeartbeatRequest("alice", List.of(good, bad))))
        .containsExactly(error(ErrorCode.MALFORMED, CommandType.C_HEARTBEAT_REQ));
    assertThat(services.store().locations().history(alice.id()))
        .containsExactly(new Fix("2026-11-28 12:00:00", "23.13,113.26"));
    assertThat(services.account("alice").sharedLocation()).isEqualTo("23.13,113.26");
  }

  @Test
  void aClosedConnectionIsToldOfflineToFriendsOnce() {
    services.befriend(alice, bob);
    Session a = services.login("alice");
    Session b = services.login("bob");
    take(a);
    ServiceFixture.join(dispatcher.connectionClosed(b).toCompletableFuture());
    assertThat(take(a)).containsExactly(new StatusNotifyPush("bob", Presence.OFFLINE));
    ServiceFixture.join(dispatcher.connectionClosed(b).toCompletableFuture());
    assertThat(take(a)).isEmpty();
  }
}
