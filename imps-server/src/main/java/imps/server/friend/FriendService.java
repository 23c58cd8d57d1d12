package imps.server.friend;

import imps.protocol.ErrorCode;
import imps.protocol.Presence;
import imps.protocol.message.AddFriendResponse;
import imps.protocol.message.FriendInfo;
import imps.protocol.message.FriendRemoved;
import imps.protocol.message.ImpsMessage;
import imps.protocol.message.StatusNotifyPush;
import imps.server.account.AccountService;
import imps.server.cluster.SessionRouter;
import imps.server.delivery.Push;
import imps.server.delivery.Pushes;
import imps.server.error.RequestException;
import imps.server.store.AddRequestResult;
import imps.server.store.AnswerResult;
import imps.server.store.FriendStore;
import imps.server.store.FriendView;
import imps.server.store.Outcome;
import imps.server.store.UserRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Friend requests, answers and the friend list (section 7.5). */
public final class FriendService {
  private final FriendStore store;
  private final AccountService accounts;
  private final SessionRouter router;
  private final int maxFriends;
  private final int maxPendingFrom;
  private final int maxPendingTo;

  public FriendService(
      FriendStore store, AccountService accounts, SessionRouter router, int maxFriends) {
    this(store, accounts, router, maxFriends, Integer.MAX_VALUE, Integer.MAX_VALUE);
  }

  /**
   * @param maxPendingFrom requests one user may have pending at once; more get error 10
   * @param maxPendingTo requests that may wait for one user at once; more to it get error 10
   */
  public FriendService(
      FriendStore store,
      AccountService accounts,
      SessionRouter router,
      int maxFriends,
      int maxPendingFrom,
      int maxPendingTo) {
    this.store = store;
    this.accounts = accounts;
    this.router = router;
    this.maxFriends = maxFriends;
    this.maxPendingFrom = maxPendingFrom;
    this.maxPendingTo = maxPendingTo;
  }

  /** The user's friends with what the user sees of each. */
  public List<FriendInfo> friendList(long userId) {
    List<FriendView> friends = store.friends(userId);
    List<Long> ids = new ArrayList<>(friends.size());
    for (FriendView f : friends) {
      ids.add(f.id());
    }
    // Every status in one go (one round trip to a cluster's directory).
    List<Presence> statuses = router.visibleStatuses(ids);
    List<FriendInfo> out = new ArrayList<>(friends.size());
    for (int i = 0; i < friends.size(); i++) {
      FriendView f = friends.get(i);
      out.add(new FriendInfo(f.name(), statuses.get(i), f.sharedTime(), f.sharedLocation()));
    }
    return out;
  }

  /**
   * C_ADDFRIEND_REQ from {@code me} to {@code friendName}.
   *
   * @return the reply: an immediate S_ADDFRIEND_RSP, or S_ERROR_RSP(0) when the request was stored
   *     and forwarded
   */
  public Optional<AddFriendResponse> request(UserRecord me, String friendName) {
    Optional<UserRecord> other = accounts.find(friendName);
    if (other.isEmpty()) {
      return Optional.of(AddFriendResponse.noSuchUser(friendName));
    }
    UserRecord b = other.get();
    if (b.id() == me.id()) {
      throw new RequestException(ErrorCode.MALFORMED, "cannot befriend oneself");
    }
    AddRequestResult r =
        store.addRequest(me.id(), b.id(), maxFriends, maxPendingFrom, maxPendingTo);
    if (r instanceof AddRequestResult.TooManyPending) {
      throw new RequestException(ErrorCode.TOO_MANY_REQUESTS, "too many friend requests pending");
    }
    if (r instanceof AddRequestResult.Ignored) {
      // The recipient blocked the sender: answered as if stored, so the block is not revealed.
      return Optional.empty();
    }
    if (r instanceof AddRequestResult.BlockedByMe) {
      throw new RequestException(ErrorCode.NOT_PERMITTED, "the recipient is blocked");
    }
    if (r instanceof AddRequestResult.AlreadyFriends) {
      return Optional.of(AddFriendResponse.accepted(infoOf(b)));
    }
    if (r instanceof AddRequestResult.LimitReached) {
      return Optional.of(AddFriendResponse.refused(b.name()));
    }
    if (r instanceof AddRequestResult.Mutual m) {
      pushOutcome(m.outcomeForOther(), me);
      return Optional.of(AddFriendResponse.accepted(infoOf(b)));
    }
    AddRequestResult.Pending pending = (AddRequestResult.Pending) r;
    if (pending.created()) {
      router.deliver(b.id(), Pushes.friendRequest(pending.requestId(), pending.seq(), me.name()));
    }
    return Optional.empty();
  }

  /**
   * C_ADDFRIEND_RSP from {@code me}: answers {@code requesterName}'s request (or the oldest pending
   * one when the name is {@code me}'s own).
   *
   * @return the push for {@code me} itself when accepted (S_ADDFRIEND_RSP(1, requester's info)), to
   *     be sent after the acknowledgement
   * @throws RequestException NOT_PERMITTED when there is no such pending request
   */
  public Optional<ImpsMessage> answer(UserRecord me, String requesterName, boolean accept) {
    Optional<UserRecord> requester = accounts.find(requesterName);
    AnswerResult r;
    if (requester.isPresent() && requester.get().id() == me.id()) {
      r = store.answerOldest(me.id(), accept, maxFriends);
    } else if (requester.isPresent()) {
      r = store.answer(requester.get().id(), me.id(), accept, maxFriends);
    } else {
      throw new RequestException(ErrorCode.NOT_PERMITTED, "no pending request");
    }
    if (r instanceof AnswerResult.NoRequest) {
      throw new RequestException(ErrorCode.NOT_PERMITTED, "no pending request");
    }
    if (r instanceof AnswerResult.LimitReached) {
      throw new RequestException(ErrorCode.NOT_PERMITTED, "friend limit reached");
    }
    AnswerResult.Answered a = (AnswerResult.Answered) r;
    pushOutcome(a.outcomeForRequester(), me);
    if (!accept) {
      return Optional.empty();
    }
    UserRecord answered =
        accounts
            .find(a.request().fromName())
            .orElseThrow(() -> new IllegalStateException("requester vanished"));
    return Optional.of(AddFriendResponse.accepted(infoOf(answered)));
  }

  /**
   * C_UNFRIEND from {@code me}: ends the friendship with {@code friendName} both ways and tells the
   * other side's online client (only one that opted in takes the push).
   *
   * @return the former friend, or empty when they were not friends
   * @throws RequestException NO_SUCH_USER for an unknown name
   */
  public Optional<UserRecord> unfriend(UserRecord me, String friendName) {
    UserRecord other =
        accounts.find(friendName).orElseThrow(() -> new RequestException(ErrorCode.NO_SUCH_USER));
    if (!store.removeFriend(me.id(), other.id())) {
      return Optional.empty();
    }
    router.deliver(other.id(), Push.of(new FriendRemoved(me.name())));
    return Optional.of(other);
  }

  /**
   * C_BLOCK from {@code me}: blocks (or unblocks) {@code name}. A block ends a friendship as {@link
   * #unfriend} does (the other side's opted-in client is told the friend is gone, not that it is
   * blocked).
   *
   * @return the blocked user when a friendship ended, so that caches can forget it
   * @throws RequestException NO_SUCH_USER for an unknown name, MALFORMED for oneself
   */
  public Optional<UserRecord> block(UserRecord me, String name, boolean block) {
    UserRecord other =
        accounts.find(name).orElseThrow(() -> new RequestException(ErrorCode.NO_SUCH_USER));
    if (other.id() == me.id()) {
      throw new RequestException(ErrorCode.MALFORMED, "cannot block oneself");
    }
    if (!block) {
      store.unblock(me.id(), other.id());
      return Optional.empty();
    }
    if (!store.block(me.id(), other.id())) {
      return Optional.empty();
    }
    router.deliver(other.id(), Push.of(new FriendRemoved(me.name())));
    return Optional.of(other);
  }

  /** Whether {@code otherId} is a friend of {@code userId} or blocked by it. */
  public boolean isFriendOrBlocked(long userId, long otherId) {
    return store.areFriends(userId, otherId) || store.isBlocked(userId, otherId);
  }

  /** The names {@code userId} has blocked, in name order. */
  public List<String> blocked(long userId) {
    return store.blocked(userId);
  }

  /** The ids of the user's friends. */
  public List<Long> friendIds(long userId) {
    return store.friendIds(userId);
  }

  /**
   * {@code gone}'s account was deleted: its former friends see it go offline (when they saw it
   * online) and, on clients that opted in, removed.
   */
  public void accountDeleted(String goneName, List<Long> formerFriends, boolean wasSeenOnline) {
    Push offline = Push.of(new StatusNotifyPush(goneName, Presence.OFFLINE));
    Push removed = Push.of(new FriendRemoved(goneName));
    for (long id : formerFriends) {
      if (wasSeenOnline) {
        router.deliver(id, offline);
      }
      router.deliver(id, removed);
    }
  }

  /** The frame for a stored outcome, as its recipient sees it now. */
  public ImpsMessage outcomeFrame(Outcome o) {
    if (!o.accepted()) {
      return AddFriendResponse.refused(o.otherName());
    }
    return accounts
        .find(o.otherName())
        .map(u -> (ImpsMessage) AddFriendResponse.accepted(infoOf(u)))
        .orElse(AddFriendResponse.refused(o.otherName()));
  }

  private void pushOutcome(Outcome o, UserRecord about) {
    ImpsMessage frame =
        o.accepted()
            ? AddFriendResponse.accepted(infoOf(about))
            : AddFriendResponse.refused(about.name());
    router.deliver(o.userId(), Pushes.outcome(o.id(), o.seq(), frame));
  }

  private FriendInfo infoOf(UserRecord u) {
    return info(u.id(), u.name(), u.sharedTime(), u.sharedLocation());
  }

  private FriendInfo info(long id, String name, String time, String location) {
    return new FriendInfo(name, router.visibleStatus(id), time, location);
  }
}
