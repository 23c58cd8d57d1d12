package imps.server.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Friendships, friend requests and their outcomes. Each method is one atomic transaction. */
public interface FriendStore {

  /** The user's friends, ordered by name key. */
  List<FriendView> friends(long userId);

  /** The ids of the user's friends. */
  List<Long> friendIds(long userId);

  boolean areFriends(long a, long b);

  /**
   * Stores a request from {@code fromId} to {@code toId}, or, when {@code toId} had already asked
   * {@code fromId}, makes them friends at once.
   */
  default AddRequestResult addRequest(long fromId, long toId, int maxFriends) {
    return addRequest(fromId, toId, maxFriends, Integer.MAX_VALUE, Integer.MAX_VALUE);
  }

  /**
   * {@link #addRequest(long, long, int)}, refused ({@link AddRequestResult.TooManyPending}) when a
   * new request would leave {@code fromId} more than {@code maxPendingFrom} requests pending, or
   * {@code toId} more than {@code maxPendingTo} requests waiting. A request that completes a
   * friendship or is already pending is never refused for this.
   */
  AddRequestResult addRequest(
      long fromId, long toId, int maxFriends, int maxPendingFrom, int maxPendingTo);

  /** Requests waiting for {@code toId}'s answer, oldest first (whether acknowledged or not). */
  List<PendingRequest> pendingFor(long toId);

  /** Answers the pending request from {@code fromId} to {@code toId}. */
  AnswerResult answer(long fromId, long toId, boolean accept, int maxFriends);

  /** Answers the oldest pending request to {@code toId}, whoever sent it. */
  AnswerResult answerOldest(long toId, boolean accept, int maxFriends);

  /**
   * Outcomes not yet delivered to {@code userId} (neither marked nor acknowledged) with a sequence
   * number above {@code afterSeq}, oldest first.
   */
  List<Outcome> undeliveredOutcomes(long userId, long afterSeq);

  void markOutcomesDelivered(List<Long> outcomeIds);

  /**
   * Deletes pending requests created before {@code requestsCreatedBefore} (they expired unanswered)
   * and outcomes that were delivered (marked, or acknowledged); returns how many rows went.
   */
  int purge(Instant requestsCreatedBefore);

  /**
   * Ends the friendship of {@code a} and {@code b}, both ways (unfriend).
   *
   * @return whether they were friends
   */
  boolean removeFriend(long a, long b);

  /**
   * {@code userId} blocks {@code blockedId}: ends their friendship and drops the pending requests
   * between them, both ways; from then on requests from {@code blockedId} are {@link
   * AddRequestResult.Ignored}. Blocking again changes nothing.
   *
   * @return whether they were friends
   */
  boolean block(long userId, long blockedId);

  /**
   * Lifts {@code userId}'s block of {@code blockedId} (the friendship does not come back).
   *
   * @return whether there was such a block
   */
  boolean unblock(long userId, long blockedId);

  /** The names of the users {@code userId} has blocked, in name-key order. */
  List<String> blocked(long userId);

  /** Whether {@code userId} has blocked {@code otherId}. */
  boolean isBlocked(long userId, long otherId);

  /** Looks up one outcome (for tests and tools). */
  Optional<Outcome> outcome(long outcomeId);
}
