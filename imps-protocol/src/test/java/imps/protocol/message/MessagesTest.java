package imps.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import imps.protocol.CommandType;
import imps.protocol.ErrorCode;
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
        new LoginResponse("a", 0, "e"),
        new HeartbeatRequest("a", List.of()),
        HeartbeatResponse.INSTANCE,
        new FriendListRequest("a"),
        new FriendListResponse(List.of()),
        new AddFriendRequest("a", "b"),
        new AddFriendAnswer("a", AddFriendAnswer.ACCEPT),
        new FriendRequestPush("a"),
        AddFriendResponse.refused("a"),
        new SendMessage("a", "b", "m"),
        new MessagePush("a", "m", "t"),
        new StatusNotifyRequest("a", 2),
        new StatusNotifyPush("a", 2),
        new RegisterRequest("a", "p", 0, "e"),
        new RegisterResponse(1),
        new ErrorResponse(0, 0),
        new AudioRequest("a", new byte[0], "t"),
        new AudioPush("a", new byte[0], "t"));
  }

  @Test
  void eachRecordHasItsOwnCommandNumberInSheetOrder() {
    List<ImpsMessage> all = oneOfEach();
    for (int i = 0; i < all.size(); i++) {
      assertThat(all.get(i).commandType()).as("%s", all.get(i)).isEqualTo(i + 1);
    }
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
      assertThat(CommandType.isClientToServer(m.commandType()))
          .as("%s", m.getClass().getSimpleName())
          .isEqualTo(clientSends.contains(m.getClass()));
    }
  }

  @Test
  void audioRecordsCopyTheirClipAndCompareByContent() {
    byte[] clip = {1, 2, 3};
    AudioRequest req = new AudioRequest("bob", clip, "t");
    AudioPush push = new AudioPush("bob", clip, "t");
    clip[0] = 9;
    assertThat(req.data()).containsExactly(1, 2, 3);
    assertThat(push.data()).containsExactly(1, 2, 3);
    req.data()[1] = 9;
    push.data()[1] = 9;
    assertThat(req.data()).containsExactly(1, 2, 3);
    assertThat(push.data()).containsExactly(1, 2, 3);
    assertThat(req.dataLength()).isEqualTo(3);
    assertThat(push.dataLength()).isEqualTo(3);

    AudioRequest sameReq = new AudioRequest("bob", new byte[] {1, 2, 3}, "t");
    AudioPush samePush = new AudioPush("bob", new byte[] {1, 2, 3}, "t");
    assertThat(req).isEqualTo(sameReq).hasSameHashCodeAs(sameReq);
    assertThat(push).isEqualTo(samePush).hasSameHashCodeAs(samePush);
    assertThat(req).isNotEqualTo(new AudioRequest("bob", new byte[] {1, 2, 4}, "t"));
    assertThat(req).isNotEqualTo(new AudioRequest("bob", new byte[] {1, 2, 3}, "u"));
    assertThat(req).isNotEqualTo(new AudioRequest("eve", new byte[] {1, 2, 3}, "t"));
    assertThat(push).isNotEqualTo(new AudioPush("bob", new byte[] {1, 2}, "t"));
    assertThat((Object) req).isNotEqualTo(push);
    assertThat(req.toString()).contains("bob", "3 bytes", "t");
    assertThat(push.toString()).contains("bob", "3 bytes");
  }

  @Test
  void listsAreCopiedAndUnmodifiable() {
    List<LocationFix> fixes = new ArrayList<>(List.of(new LocationFix("t", "1,2")));
    HeartbeatRequest hb = new HeartbeatRequest("a", fixes);
    fixes.clear();
    assertThat(hb.fixes()).hasSize(1);
    assertThatThrownBy(() -> hb.fixes().clear()).isInstanceOf(UnsupportedOperationException.class);

    List<FriendInfo> friends = new ArrayList<>(List.of(new FriendInfo("b", 2, "", "")));
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
    FriendInfo bob = new FriendInfo("bob", 2, "2026-11-28 12:00:00", "23.13,113.26");
    AddFriendResponse accepted = AddFriendResponse.accepted(bob);
    assertThat(accepted)
        .isEqualTo(new AddFriendResponse(1, "bob", 2, "2026-11-28 12:00:00", "23.13,113.26"));
    assertThat(accepted.friend()).isEqualTo(bob);
    assertThat(AddFriendResponse.refused("bob"))
        .isEqualTo(new AddFriendResponse(AddFriendResponse.REFUSED, "bob", 0, "", ""));
    assertThat(AddFriendResponse.noSuchUser("bob"))
        .isEqualTo(new AddFriendResponse(AddFriendResponse.NO_SUCH_USER, "bob", 0, "", ""));
    assertThat(AddFriendResponse.ACCEPTED).isEqualTo(1);
    assertThat(AddFriendResponse.REFUSED).isZero();
    assertThat(AddFriendResponse.NO_SUCH_USER).isEqualTo(-1);
  }

  @Test
  void errorResponseCodes() {
    ErrorResponse ack = ErrorResponse.of(ErrorCode.SUCCESS, CommandType.C_SEND_MSG);
    assertThat(ack).isEqualTo(new ErrorResponse(0, 11));
    assertThat(ack.errorCode()).isEqualTo(ErrorCode.SUCCESS);
    assertThat(new ErrorResponse(7, 0).errorCode()).isEqualTo(ErrorCode.LOGGED_IN_ELSEWHERE);
    assertThat(new ErrorResponse(200, 0).errorCode()).isNull();
  }

  @Test
  void heartbeatResponsesAreAllEqual() {
    assertThat(new HeartbeatResponse()).isEqualTo(HeartbeatResponse.INSTANCE);
  }
}
