package imps.client;

import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.ErrorCode;
import imps.protocol.Feature;
import imps.protocol.Gender;
import imps.protocol.Presence;
import imps.protocol.message.AddFriendRequest;
import imps.protocol.message.AddFriendResponse;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.FriendInfo;
import imps.protocol.message.FriendListRequest;
import imps.protocol.message.FriendListResponse;
import imps.protocol.message.Hello;
import imps.protocol.message.HelloResponse;
import imps.protocol.message.ImpsMessage;
import imps.protocol.message.LoginResponse;
import imps.protocol.message.MessagePush;
import imps.protocol.message.ResumeRequest;
import imps.protocol.message.SendMessage;
import imps.protocol.message.StoredPush;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The reply-or-push rule, frame by frame. */
class CorrelatorTest {
  final Correlator c = new Correlator();

  Pending pending(ImpsMessage req) {
    Pending p = new Pending(req, new CompletableFuture<>());
    c.add(p);
    return p;
  }

  @Test
  void repliesMatchTheHeadInOrderAndPushesPassBetween() {
    Pending send = pending(new SendMessage("a", "b", "hi"));
    Pending list = pending(new FriendListRequest("a"));
    assertThat(c.route(new MessagePush("b", "yo", "t")).kind()).isEqualTo(Correlator.Kind.PUSH);
    assertThat(c.route(new ErrorResponse(ErrorCode.LOGGED_IN_ELSEWHERE, 0)).kind())
        .isEqualTo(Correlator.Kind.PUSH);
    Correlator.Route r1 = c.route(new ErrorResponse(ErrorCode.SUCCESS, 11));
    assertThat(r1.kind()).isEqualTo(Correlator.Kind.REPLY);
    assertThat(r1.pending()).isSameAs(send);
    Correlator.Route r2 = c.route(new FriendListResponse(List.of()));
    assertThat(r2.pending()).isSameAs(list);
    assertThat(c.size()).isZero();
  }

  @Test
  void extensionRepliesAndStoredPushes() {
    Pending hello = pending(new Hello(1, Set.of(Feature.ACKS)));
    Pending resume = pending(new ResumeRequest("a", "tok", 3));
    // A stored item is a push whatever is pending.
    assertThat(c.route(new StoredPush(4, new MessagePush("b", "yo", "t"))).kind())
        .isEqualTo(Correlator.Kind.PUSH);
    assertThat(c.route(new HelloResponse(1, Set.of(Feature.ACKS), 4096, 61440)).pending())
        .isSameAs(hello);
    // C_RESUME is answered like a login.
    Correlator.Route r = c.route(new LoginResponse("a", Gender.UNSPECIFIED, ""));
    assertThat(r.kind()).isEqualTo(Correlator.Kind.REPLY);
    assertThat(r.pending()).isSameAs(resume);
    // S_HELLO with no C_HELLO pending: out of step.
    assertThat(c.route(new HelloResponse(1, Set.of(), 1, 1)).kind())
        .isEqualTo(Correlator.Kind.VIOLATION);
  }

  @Test
  void addFriendResponseIsAReplyOnlyForTheRequestedUser() {
    // Nothing pending: always a push.
    assertThat(c.route(AddFriendResponse.refused("bob")).kind()).isEqualTo(Correlator.Kind.PUSH);
    // Head is another request: a push.
    pending(new FriendListRequest("a"));
    assertThat(
            c.route(AddFriendResponse.accepted(new FriendInfo("bob", Presence.ONLINE, "", "")))
                .kind())
        .isEqualTo(Correlator.Kind.PUSH);
    c.route(new FriendListResponse(List.of()));
    // Head asks for carol: an outcome about bob is a push, one about Carol (any case) the reply.
    Pending add = pending(new AddFriendRequest("a", "carol"));
    assertThat(c.route(AddFriendResponse.refused("bob")).kind()).isEqualTo(Correlator.Kind.PUSH);
    Correlator.Route r = c.route(AddFriendResponse.noSuchUser("CAROL"));
    assertThat(r.kind()).isEqualTo(Correlator.Kind.REPLY);
    assertThat(r.pending()).isSameAs(add);
    // A legacy frame without the name is taken as the reply when an add-friend is at the head.
    pending(new AddFriendRequest("a", "dave"));
    assertThat(
            c.route(
                    new AddFriendResponse(
                        AddFriendResponse.Result.NO_SUCH_USER, null, Presence.OFFLINE, "", ""))
                .kind())
        .isEqualTo(Correlator.Kind.REPLY);
  }

  @Test
  void theAmbiguousCaseDropsTheStrayAcknowledgement() {
    pending(new AddFriendRequest("a", "bob"));
    // bob rejected an earlier request just now: taken as the reply (the documented ambiguity) ...
    assertThat(c.route(AddFriendResponse.refused("bob")).kind()).isEqualTo(Correlator.Kind.REPLY);
    // ... and the real acknowledgement that follows is dropped, not misattributed.
    Pending next = pending(new SendMessage("a", "bob", "x"));
    assertThat(c.route(new ErrorResponse(ErrorCode.SUCCESS, 7)).kind())
        .isEqualTo(Correlator.Kind.DROP);
    assertThat(c.route(new ErrorResponse(ErrorCode.NOT_FRIENDS, 11)).pending()).isSameAs(next);
  }

  @Test
  void mismatchedRepliesAreViolations() {
    assertThat(c.route(new FriendListResponse(List.of())).kind())
        .isEqualTo(Correlator.Kind.VIOLATION);
    pending(new SendMessage("a", "b", "hi"));
    assertThat(c.route(new ErrorResponse(ErrorCode.SUCCESS, 5)).kind())
        .isEqualTo(Correlator.Kind.VIOLATION);
    assertThat(c.route(new SendMessage("x", "y", "z")).kind()).isEqualTo(Correlator.Kind.VIOLATION);
  }

  @Test
  void namesCompareCaseInsensitivelyUnderNfkc() {
    assertThat(Correlator.sameName("Alice", "aLICE")).isTrue();
    assertThat(Correlator.sameName("ＡＢＣ", "abc")).isTrue();
    assertThat(Correlator.sameName("alice", "alicia")).isFalse();
  }
}
