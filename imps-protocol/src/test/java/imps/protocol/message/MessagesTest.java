package imps.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import imps.protocol.CommandType;
import imps.protocol.ErrorCode;
import imps.protocol.Gender;
import imps.protocol.Presence;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The command records: command numbers, value semantics, immutability. */
class MessagesTest {

  static List<ImpsMessage> oneOfEach() {
    return List.of(
        new LoginRequest("a", "p"),
        new LoginResponse("a", Gender.UNSPECIFIED, "e"),
        new HeartbeatRequest("a", List.of()),
        HeartbeatResponse.INSTANCE,
        new FriendListRequest("a"),
        new FriendListResponse(List.of()),
        new AddFriendRequest("a", "b"),
        new AddFriendAnswer("a", true),
        new FriendRequestPush("a"),
        AddFriendResponse.refused("a"),
        new SendMessage("a", "b", "m"),
        new MessagePush("a", "m", "t"),
        new StatusNotifyRequest("a", Presence.ONLINE),
        new StatusNotifyPush("a", Presence.ONLINE),
        new RegisterRequest("a", "p", Gender.UNSPECIFIED, "e"),
        new RegisterResponse(true),
        ErrorResponse.unsolicited(ErrorCode.SUCCESS),
        new AudioRequest("a", ClipBytes.copyOf(new byte[0]), "t"),
        new AudioPush("a", ClipBytes.copyOf(new byte[0]), "t"));
  }

  static List<ImpsMessage> extensions() {
    return List.of(
        new Hello(1, java.util.Set.of(imps.protocol.Feature.ACKS)),
        new HelloResponse(1, java.util.Set.of(), 4096, 61440),
        new StoredPush(1, new MessagePush("a", "m", "t")),
        new Ack(1),
        new ResumeRequest("a", "t", 0),
        new Receipt("a", 1, Receipt.State.DELIVERED),
        new ReadNotice("a", 1),
        new Unfriend("a"),
        new FriendRemoved("a"),
        new BlockRequest("a", true),
        BlockListRequest.INSTANCE,
        new BlockListResponse(List.of("a")),
        new ChangePassword("a", "b"),
        new DeleteAccount("a"));
  }

  /** Extensions numbered apart from the first ones, with their command numbers. */
  static java.util.Map<ImpsMessage, Integer> numberedExtensions() {
    return java.util.Map.of(
        new HistoryRequest("a", 0, false, 1),
        47,
        new HistoryPage("a", false, List.of()),
        48,
        new LiveLocationsRequest(true),
        49,
        new LocationPush("a", "t", "1,2"),
        50,
        new TrackRequest("a", 0, 1, 1),
        51,
        new Track("a", 0, List.of()),
        52,
        new Notice("n"),
        53,
        UnreadRequest.INSTANCE,
        54,
        new UnreadCounts(7, List.of(new UnreadCounts.Friend("bob", 2))),
        55);
  }

  @Test
  void eachRecordHasItsOwnCommandNumberInSheetOrder() {
    List<ImpsMessage> all = new java.util.ArrayList<>(oneOfEach());
    for (int i = 0; i < all.size(); i++) {
      assertThat(all.get(i).commandType().value()).as("%s", all.get(i)).isEqualTo(i + 1);
    }
    all.addAll(extensions());
    for (int i = 0; i < extensions().size(); i++) {
      assertThat(extensions().get(i).commandType().value())
          .isEqualTo(imps.protocol.CommandType.FIRST_EXTENSION + i);
    }
    numberedExtensions()
        .forEach((m, cmd) -> assertThat(m.commandType().value()).as("%s", m).isEqualTo(cmd));
    all.addAll(numberedExtensions().keySet());
    Set<Class<?>> permitted = Set.of(ImpsMessage.class.getPermittedSubclasses());
    assertThat(permitted)
        .containsExactlyInAnyOrderElementsOf(
            all.stream().map(Object::getClass).collect(Collectors.toSet()));
  }

  @Test
  void directionMatchesTheSheet() {
    Set<Class<?>> clientSends =
        Set.of(
            LoginRequest.class,
            HeartbeatRequest.class,
            FriendListRequest.class,
            AddFriendRequest.class,
            AddFriendAnswer.class,
            SendMessage.class,
            StatusNotifyRequest.class,
            RegisterRequest.class,
            AudioRequest.class);
    for (ImpsMessage m : oneOfEach()) {
      assertThat(m.commandType().isClientToServer())
          .as("%s", m.getClass().getSimpleName())
          .isEqualTo(clientSends.contains(m.getClass()));
    }
  }

  @Test
  void audioRecordsCopyTheirClipAndCompareByContent() {
    byte[] clip = {1, 2, 3};
    AudioRequest req = new AudioRequest("bob", ClipBytes.copyOf(clip), "t");
    AudioPush push = new AudioPush("bob", ClipBytes.copyOf(clip), "t");
    clip[0] = 9;
    assertThat(req.data().toByteArray()).containsExactly(1, 2, 3);
    assertThat(push.data().toByteArray()).containsExactly(1, 2, 3);
    req.data().toByteArray()[1] = 9;
    push.data().toByteArray()[1] = 9;
    assertThat(req.data().toByteArray()).containsExactly(1, 2, 3);
    assertThat(push.data().toByteArray()).containsExactly(1, 2, 3);
    assertThat(req.data().length()).isEqualTo(3);
    assertThat(push.data().length()).isEqualTo(3);
    assertThat(req.data().asReadOnlyBuffer().isReadOnly()).isTrue();

    AudioRequest sameReq = new AudioRequest("bob", clip(1, 2, 3), "t");
    AudioPush samePush = new AudioPush("bob", clip(1, 2, 3), "t");
    assertThat(req).isEqualTo(sameReq).hasSameHashCodeAs(sameReq);
    assertThat(push).isEqualTo(samePush).hasSameHashCodeAs(samePush);
    assertThat(req).isNotEqualTo(new AudioRequest("bob", clip(1, 2, 4), "t"));
    assertThat(req).isNotEqualTo(new AudioRequest("bob", clip(1, 2, 3), "u"));
    assertThat(req).isNotEqualTo(new AudioRequest("eve", clip(1, 2, 3), "t"));
    assertThat(push).isNotEqualTo(new AudioPush("bob", clip(1, 2), "t"));
    assertThat((Object) req).isNotEqualTo(push);
    assertThat(req.toString()).contains("bob", "3 bytes", "t");
    assertThat(push.toString()).contains("bob", "3 bytes");
  }

  private static ClipBytes clip(int... bytes) {
    byte[] b = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      b[i] = (byte) bytes[i];
    }
    return ClipBytes.copyOf(b);
  }

  @Test
  void passwordsNeverShowInToString() {
    assertThat(new LoginRequest("alice", "hunter22").toString())
        .contains("alice")
        .doesNotContain("hunter22");
    assertThat(new RegisterRequest("alice", "hunter22", Gender.MALE, "a@b.c").toString())
        .contains("alice", "a@b.c")
        .doesNotContain("hunter22");
    assertThat(new ChangePassword("hunter22", "n3w-s3cret").toString())
        .doesNotContain("hunter22")
        .doesNotContain("n3w-s3cret");
    assertThat(new DeleteAccount("hunter22").toString()).doesNotContain("hunter22");
    // A session token logs in like a password.
    assertThat(new ResumeRequest("alice", "t0k3n-s3cret", 42).toString())
        .contains("alice", "42")
        .doesNotContain("t0k3n-s3cret");
    assertThat(
            new LoginResponse(
                    "alice", Gender.FEMALE, "a@b.c", Presence.ONLINE, "t0k3n-s3cret", 2_592_000)
                .toString())
        .contains("alice", "a@b.c")
        .doesNotContain("t0k3n-s3cret");
  }

  @Test
  void listsAreCopiedAndUnmodifiable() {
    List<LocationFix> fixes = new ArrayList<>(List.of(new LocationFix("t", "1,2")));
    HeartbeatRequest hb = new HeartbeatRequest("a", fixes);
    fixes.clear();
    assertThat(hb.fixes()).hasSize(1);
    assertThatThrownBy(() -> hb.fixes().clear()).isInstanceOf(UnsupportedOperationException.class);

    List<FriendInfo> friends =
        new ArrayList<>(List.of(new FriendInfo("b", Presence.ONLINE, "", "")));
    FriendListResponse list = new FriendListResponse(friends);
    friends.clear();
    assertThat(list.friends()).hasSize(1);
    assertThatThrownBy(() -> list.friends().add(null))
        .isInstanceOf(UnsupportedOperationException.class);

    assertThatThrownBy(() -> new HeartbeatRequest("a", null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new FriendListResponse(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void addFriendResponseFactories() {
    FriendInfo bob = new FriendInfo("bob", Presence.ONLINE, "2026-11-28 12:00:00", "23.13,113.26");
    AddFriendResponse accepted = AddFriendResponse.accepted(bob);
    assertThat(accepted)
        .isEqualTo(
            new AddFriendResponse(
                AddFriendResponse.Result.ACCEPTED,
                "bob",
                Presence.ONLINE,
                "2026-11-28 12:00:00",
                "23.13,113.26"));
    assertThat(accepted.friend()).isEqualTo(bob);
    assertThat(AddFriendResponse.refused("bob"))
        .isEqualTo(
            new AddFriendResponse(
                AddFriendResponse.Result.REFUSED, "bob", Presence.OFFLINE, "", ""));
    assertThat(AddFriendResponse.noSuchUser("bob"))
        .isEqualTo(
            new AddFriendResponse(
                AddFriendResponse.Result.NO_SUCH_USER, "bob", Presence.OFFLINE, "", ""));
    assertThat(AddFriendResponse.Result.ACCEPTED.value()).isEqualTo(1);
    assertThat(AddFriendResponse.Result.REFUSED.value()).isZero();
    assertThat(AddFriendResponse.Result.NO_SUCH_USER.value()).isEqualTo(-1);
    for (AddFriendResponse.Result r : AddFriendResponse.Result.values()) {
      assertThat(AddFriendResponse.Result.valueOf(r.value())).isSameAs(r);
    }
    assertThat(AddFriendResponse.Result.valueOf(2)).isNull();
    assertThat(AddFriendResponse.Result.valueOf(-2)).isNull();
  }

  @Test
  void errorResponseCodes() {
    ErrorResponse ack = ErrorResponse.of(ErrorCode.SUCCESS, CommandType.C_SEND_MSG);
    assertThat(ack).isEqualTo(new ErrorResponse(ErrorCode.SUCCESS, 11));
    assertThat(ack.code()).isEqualTo(ErrorCode.SUCCESS);
    assertThat(ack.request()).isEqualTo(CommandType.C_SEND_MSG);
    ErrorResponse kicked = ErrorResponse.unsolicited(ErrorCode.LOGGED_IN_ELSEWHERE);
    assertThat(kicked).isEqualTo(new ErrorResponse(ErrorCode.LOGGED_IN_ELSEWHERE, 0));
    assertThat(kicked.request()).isNull();
    assertThat(new ErrorResponse(ErrorCode.MALFORMED, 200).request()).isNull();
  }

  @Test
  void heartbeatResponsesAreAllEqual() {
    assertThat(new HeartbeatResponse()).isEqualTo(HeartbeatResponse.INSTANCE);
  }
}
