package imps.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@link FriendStore} contract; one subclass per backend. */
public abstract class FriendStoreContract extends StoreContractBase {
  private static final int MAX = 500;

  private FriendStore friends() {
    return store.friends();
  }

  @Test
  void requestIsStoredOncePerPair() {
    UserRecord a = user("ann");
    UserRecord b = user("ben");
    AddRequestResult first = friends().addRequest(a.id(), b.id(), MAX);
    assertThat(first).isInstanceOf(AddRequestResult.Pending.class);
    AddRequestResult.Pending p = (AddRequestResult.Pending) first;
    assertThat(p.created()).isTrue();
    assertThat(friends().addRequest(a.id(), b.id(), MAX))
        .isEqualTo(new AddRequestResult.Pending(p.requestId(), p.seq(), false));
    List<PendingRequest> pending = friends().pendingFor(b.id());
    assertThat(pending).hasSize(1);
    assertThat(pending.get(0).id()).isEqualTo(p.requestId());
    assertThat(pending.get(0).fromId()).isEqualTo(a.id());
    assertThat(pending.get(0).fromName()).isEqualTo("ann");
    assertThat(pending.get(0).toId()).isEqualTo(b.id());
    assertThat(friends().pendingFor(a.id())).isEmpty();
    assertThat(friends().areFriends(a.id(), b.id())).isFalse();
  }

  @Test
  void pendingRequestsAreCappedPerSenderAndPerRecipient() {
    UserRecord a = user("spammer");
    UserRecord b = user("bea");
    UserRecord c = user("cid");
    UserRecord d = user("dan");
    assertThat(friends().addRequest(a.id(), b.id(), MAX, 2, 10))
        .isInstanceOf(AddRequestResult.Pending.class);
    assertThat(friends().addRequest(a.id(), c.id(), MAX, 2, 10))
        .isInstanceOf(AddRequestResult.Pending.class);
    assertThat(friends().addRequest(a.id(), d.id(), MAX, 2, 10))
        .isEqualTo(new AddRequestResult.TooManyPending());
    assertThat(friends().pendingFor(d.id())).isEmpty();
    // Asking again, or completing a friendship, is never refused for the caps.
    assertThat(friends().addRequest(a.id(), b.id(), MAX, 2, 10))
        .isInstanceOf(AddRequestResult.Pending.class);
    assertThat(friends().addRequest(b.id(), a.id(), MAX, 1, 1))
        .isInstanceOf(AddRequestResult.Mutual.class);
    // Per recipient: c has one waiting (from a).
    assertThat(friends().addRequest(d.id(), c.id(), MAX, 10, 1))
        .isEqualTo(new AddRequestResult.TooManyPending());
    assertThat(friends().addRequest(d.id(), c.id(), MAX, 10, 2))
        .isInstanceOf(AddRequestResult.Pending.class);
  }

  @Test
  void purgeDeletesExpiredRequestsAndDeliveredOutcomesOnly() {
    UserRecord a = user("old");
    UserRecord b = user("bob");
    UserRecord c = user("cat");
    friends().addRequest(a.id(), b.id(), MAX);
    AnswerResult.Answered answered =
        (AnswerResult.Answered) friends().answer(a.id(), b.id(), false, MAX);
    friends().addRequest(c.id(), b.id(), MAX);
    AnswerResult.Answered second =
        (AnswerResult.Answered) friends().answer(c.id(), b.id(), true, MAX);
    friends().addRequest(a.id(), c.id(), MAX);
    friends().markOutcomesDelivered(List.of(answered.outcomeForRequester().id()));
    // Nothing expired yet; the delivered outcome goes, the undelivered one stays.
    assertThat(friends().purge(Instant.now().minusSeconds(3600))).isEqualTo(1);
    assertThat(friends().outcome(answered.outcomeForRequester().id())).isEmpty();
    assertThat(friends().outcome(second.outcomeForRequester().id())).isPresent();
    assertThat(friends().pendingFor(c.id())).hasSize(1);
    // Past the expiry the pending request goes too.
    assertThat(friends().purge(Instant.now().plusSeconds(1))).isEqualTo(1);
    assertThat(friends().pendingFor(c.id())).isEmpty();
    assertThat(friends().undeliveredOutcomes(c.id(), 0)).hasSize(1);
  }

  @Test
  void removingAFriendEndsTheFriendshipBothWays() {
    UserRecord a = user("rita");
    UserRecord b = user("sam");
    UserRecord c = user("tom");
    friends().addRequest(a.id(), b.id(), MAX);
    friends().addRequest(b.id(), a.id(), MAX);
    friends().addRequest(a.id(), c.id(), MAX);
    friends().addRequest(c.id(), a.id(), MAX);
    assertThat(friends().removeFriend(b.id(), a.id())).isTrue();
    assertThat(friends().areFriends(a.id(), b.id())).isFalse();
    assertThat(friends().areFriends(b.id(), a.id())).isFalse();
    assertThat(friends().friendIds(a.id())).containsExactly(c.id());
    assertThat(friends().friendIds(b.id())).isEmpty();
    assertThat(friends().removeFriend(a.id(), b.id())).isFalse();
    // They may become friends again, by a new request.
    assertThat(friends().addRequest(a.id(), b.id(), MAX))
        .isInstanceOf(AddRequestResult.Pending.class);
  }

  @Test
  void blockingEndsTheFriendshipAndPendingRequestsAndIsListedByName() {
    UserRecord u = user("uma");
    UserRecord f = user("fred");
    UserRecord x = user("xena");
    UserRecord other = user("olga");
    friends().addRequest(u.id(), f.id(), MAX);
    friends().addRequest(f.id(), u.id(), MAX);
    friends().addRequest(x.id(), u.id(), MAX);
    friends().addRequest(u.id(), other.id(), MAX);
    assertThat(friends().block(u.id(), f.id())).isTrue();
    assertThat(friends().block(u.id(), x.id())).isFalse();
    assertThat(friends().block(u.id(), x.id())).isFalse();
    assertThat(friends().areFriends(u.id(), f.id())).isFalse();
    assertThat(friends().pendingFor(u.id())).isEmpty();
    assertThat(friends().pendingFor(other.id())).hasSize(1);
    assertThat(friends().blocked(u.id())).containsExactly("fred", "xena");
    assertThat(friends().blocked(f.id())).isEmpty();
    assertThat(friends().isBlocked(u.id(), f.id())).isTrue();
    assertThat(friends().isBlocked(f.id(), u.id())).isFalse();
    assertThat(friends().unblock(u.id(), f.id())).isTrue();
    assertThat(friends().unblock(u.id(), f.id())).isFalse();
    assertThat(friends().blocked(u.id())).containsExactly("xena");
  }

  @Test
  void requestsFromABlockedUserAreIgnoredAndToOneRefused() {
    UserRecord u = user("una");
    UserRecord x = user("xan");
    friends().block(u.id(), x.id());
    assertThat(friends().addRequest(x.id(), u.id(), MAX))
        .isInstanceOf(AddRequestResult.Ignored.class);
    assertThat(friends().pendingFor(u.id())).isEmpty();
    assertThat(friends().addRequest(u.id(), x.id(), MAX))
        .isInstanceOf(AddRequestResult.BlockedByMe.class);
    assertThat(friends().pendingFor(x.id())).isEmpty();
    friends().unblock(u.id(), x.id());
    assertThat(friends().addRequest(x.id(), u.id(), MAX))
        .isInstanceOf(AddRequestResult.Pending.class);
  }

  @Test
  void pendingRequestsComeOldestFirst() {
    UserRecord to = user("target");
    UserRecord x = user("xavier");
    UserRecord y = user("yann");
    UserRecord w = user("walt");
    friends().addRequest(x.id(), to.id(), MAX);
    friends().addRequest(y.id(), to.id(), MAX);
    friends().addRequest(w.id(), to.id(), MAX);
    assertThat(friends().pendingFor(to.id()))
        .extracting(PendingRequest::fromName)
        .containsExactly("xavier", "yann", "walt");
  }

  @Test
  void crossedRequestsMakeFriendsAtOnce() {
    UserRecord a = user("amy");
    UserRecord b = user("bo");
    friends().addRequest(a.id(), b.id(), MAX);
    AddRequestResult r = friends().addRequest(b.id(), a.id(), MAX);
    assertThat(r).isInstanceOf(AddRequestResult.Mutual.class);
    Outcome o = ((AddRequestResult.Mutual) r).outcomeForOther();
    assertThat(o.userId()).isEqualTo(a.id());
    assertThat(o.otherId()).isEqualTo(b.id());
    assertThat(o.otherName()).isEqualTo("bo");
    assertThat(o.accepted()).isTrue();
    assertThat(friends().areFriends(a.id(), b.id())).isTrue();
    assertThat(friends().areFriends(b.id(), a.id())).isTrue();
    assertThat(friends().pendingFor(a.id())).isEmpty();
    assertThat(friends().pendingFor(b.id())).isEmpty();
    assertThat(friends().undeliveredOutcomes(a.id(), 0)).containsExactly(o);
    assertThat(friends().undeliveredOutcomes(b.id(), 0)).isEmpty();
    assertThat(friends().addRequest(a.id(), b.id(), MAX))
        .isInstanceOf(AddRequestResult.AlreadyFriends.class);
  }

  @Test
  void limitIsCheckedOnBothSides() {
    UserRecord a = user("a");
    UserRecord b = user("b");
    UserRecord c = user("c");
    friends().addRequest(a.id(), b.id(), 1);
    assertThat(friends().answer(a.id(), b.id(), true, 1)).isInstanceOf(AnswerResult.Answered.class);
    assertThat(friends().addRequest(a.id(), c.id(), 1))
        .isInstanceOf(AddRequestResult.LimitReached.class);
    assertThat(friends().addRequest(c.id(), a.id(), 1))
        .isInstanceOf(AddRequestResult.LimitReached.class);
    assertThat(friends().pendingFor(a.id())).isEmpty();
    assertThat(friends().pendingFor(c.id())).isEmpty();
    // The same pair at the limit is still "already friends", not "limit reached".
    assertThat(friends().addRequest(a.id(), b.id(), 1))
        .isInstanceOf(AddRequestResult.AlreadyFriends.class);
  }

  @Test
  void acceptingPastTheLimitLeavesTheRequestPending() {
    UserRecord a = user("a");
    UserRecord b = user("b");
    UserRecord c = user("c");
    friends().addRequest(c.id(), b.id(), 2);
    friends().addRequest(a.id(), b.id(), 2);
    friends().answer(a.id(), b.id(), true, 2);
    // b has one friend; with a limit of 1 the answer to c must fail and keep the request.
    assertThat(friends().answer(c.id(), b.id(), true, 1))
        .isInstanceOf(AnswerResult.LimitReached.class);
    assertThat(friends().pendingFor(b.id())).extracting(PendingRequest::fromId).contains(c.id());
    // Rejecting is always possible.
    assertThat(friends().answer(c.id(), b.id(), false, 1))
        .isInstanceOf(AnswerResult.Answered.class);
  }

  @Test
  void acceptMakesMutualFriendsAndStoresTheOutcome() {
    UserRecord a = user("alpha");
    UserRecord b = user("beta");
    friends().addRequest(a.id(), b.id(), MAX);
    AnswerResult r = friends().answer(a.id(), b.id(), true, MAX);
    assertThat(r).isInstanceOf(AnswerResult.Answered.class);
    AnswerResult.Answered ans = (AnswerResult.Answered) r;
    assertThat(ans.request().fromId()).isEqualTo(a.id());
    assertThat(ans.request().fromName()).isEqualTo("alpha");
    Outcome o = ans.outcomeForRequester();
    assertThat(o).isEqualTo(new Outcome(o.id(), o.seq(), a.id(), b.id(), "beta", true));
    assertThat(friends().areFriends(a.id(), b.id())).isTrue();
    assertThat(friends().areFriends(b.id(), a.id())).isTrue();
    assertThat(friends().friendIds(a.id())).containsExactly(b.id());
    assertThat(friends().friendIds(b.id())).containsExactly(a.id());
    assertThat(friends().pendingFor(b.id())).isEmpty();
    assertThat(friends().outcome(o.id())).contains(o);
    assertThat(friends().answer(a.id(), b.id(), true, MAX))
        .isInstanceOf(AnswerResult.NoRequest.class);
  }

  @Test
  void rejectStoresARefusalAndNoFriendship() {
    UserRecord a = user("alpha");
    UserRecord b = user("beta");
    friends().addRequest(a.id(), b.id(), MAX);
    AnswerResult.Answered ans =
        (AnswerResult.Answered) friends().answer(a.id(), b.id(), false, MAX);
    assertThat(ans.outcomeForRequester().accepted()).isFalse();
    assertThat(ans.outcomeForRequester().otherName()).isEqualTo("beta");
    assertThat(friends().areFriends(a.id(), b.id())).isFalse();
    assertThat(friends().pendingFor(b.id())).isEmpty();
    assertThat(friends().undeliveredOutcomes(a.id(), 0)).containsExactly(ans.outcomeForRequester());
    // A new request may follow a refusal.
    assertThat(friends().addRequest(a.id(), b.id(), MAX))
        .isInstanceOfSatisfying(
            AddRequestResult.Pending.class, r -> assertThat(r.created()).isTrue());
  }

  @Test
  void answerWithoutRequestIsNoRequest() {
    UserRecord a = user("a");
    UserRecord b = user("b");
    assertThat(friends().answer(a.id(), b.id(), true, MAX))
        .isInstanceOf(AnswerResult.NoRequest.class);
    assertThat(friends().answerOldest(b.id(), false, MAX))
        .isInstanceOf(AnswerResult.NoRequest.class);
    // A request the other way is not a request to answer.
    friends().addRequest(b.id(), a.id(), MAX);
    assertThat(friends().answer(a.id(), b.id(), true, MAX))
        .isInstanceOf(AnswerResult.NoRequest.class);
  }

  @Test
  void answeringWithoutANameTakesTheOldestPendingRequest() {
    UserRecord to = user("to");
    UserRecord first = user("zed");
    UserRecord second = user("abe");
    friends().addRequest(first.id(), to.id(), MAX);
    friends().addRequest(second.id(), to.id(), MAX);
    AnswerResult.Answered ans = (AnswerResult.Answered) friends().answerOldest(to.id(), true, MAX);
    assertThat(ans.request().fromId()).isEqualTo(first.id());
    assertThat(friends().areFriends(first.id(), to.id())).isTrue();
    ans = (AnswerResult.Answered) friends().answerOldest(to.id(), false, MAX);
    assertThat(ans.request().fromId()).isEqualTo(second.id());
    assertThat(friends().pendingFor(to.id())).isEmpty();
  }

  @Test
  void friendsAreListedByNameKeyWithTheirSharedPosition() {
    UserRecord me = user("me");
    UserRecord zoe = user("Zoe");
    UserRecord al = user("al");
    UserRecord mo = user("Mo");
    for (UserRecord u : List.of(zoe, al, mo)) {
      friends().addRequest(me.id(), u.id(), MAX);
      friends().answer(me.id(), u.id(), true, MAX);
    }
    store
        .locations()
        .record(mo.id(), List.of(new Fix("2024-01-02 03:04:05", "1.5,2.5")), true, Instant.now());
    List<FriendView> list = friends().friends(me.id());
    assertThat(list)
        .containsExactly(
            new FriendView(al.id(), "al", "", ""),
            new FriendView(mo.id(), "Mo", "2024-01-02 03:04:05", "1.5,2.5"),
            new FriendView(zoe.id(), "Zoe", "", ""));
    assertThat(friends().friendIds(me.id())).containsExactlyInAnyOrder(al.id(), mo.id(), zoe.id());
    assertThat(friends().friends(al.id())).extracting(FriendView::id).containsExactly(me.id());
  }

  @Test
  void acceptingSettlesARequestTheOtherWayToo() {
    UserRecord a = user("a");
    UserRecord b = user("b");
    UserRecord c = user("c");
    friends().addRequest(a.id(), b.id(), MAX);
    friends().addRequest(c.id(), b.id(), MAX);
    friends().answer(a.id(), b.id(), true, MAX);
    assertThat(friends().pendingFor(b.id()))
        .extracting(PendingRequest::fromId)
        .containsExactly(c.id());
    assertThat(friends().pendingFor(a.id())).isEmpty();
  }

  @Test
  void outcomesAreDeliveredOnceMarked() {
    UserRecord a = user("a");
    UserRecord b = user("b");
    UserRecord c = user("c");
    friends().addRequest(a.id(), b.id(), MAX);
    friends().addRequest(a.id(), c.id(), MAX);
    Outcome o1 =
        ((AnswerResult.Answered) friends().answer(a.id(), b.id(), true, MAX)).outcomeForRequester();
    Outcome o2 =
        ((AnswerResult.Answered) friends().answer(a.id(), c.id(), false, MAX))
            .outcomeForRequester();
    assertThat(o2.id()).isGreaterThan(o1.id());
    assertThat(friends().undeliveredOutcomes(a.id(), 0)).containsExactly(o1, o2);
    assertThat(friends().undeliveredOutcomes(a.id(), o1.id())).containsExactly(o2);
    assertThat(friends().undeliveredOutcomes(a.id(), o2.id())).isEmpty();
    friends().markOutcomesDelivered(List.of());
    friends().markOutcomesDelivered(List.of(o1.id()));
    assertThat(friends().undeliveredOutcomes(a.id(), 0)).containsExactly(o2);
    friends().markOutcomesDelivered(List.of(o2.id()));
    assertThat(friends().undeliveredOutcomes(a.id(), 0)).isEmpty();
    assertThat(friends().outcome(o1.id())).contains(o1);
    assertThat(friends().outcome(o2.id() + 1000)).isEmpty();
  }
}
