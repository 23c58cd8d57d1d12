package imps.server.store;

/** What storing a friend request did. */
public sealed interface AddRequestResult {
  /** The two are friends already; nothing changed. */
  record AlreadyFriends() implements AddRequestResult {}

  /** One side has reached the friend limit; nothing changed. */
  record LimitReached() implements AddRequestResult {}

  /**
   * The sender has as many requests pending as it may, or the recipient has as many waiting for it
   * as it may; nothing changed.
   */
  record TooManyPending() implements AddRequestResult {}

  /**
   * The request {@code requestId} is stored with the recipient's sequence number {@code seq} (or
   * was already pending: {@code created} false).
   */
  record Pending(long requestId, long seq, boolean created) implements AddRequestResult {}

  /**
   * The other side had already asked: both are now friends, both requests are gone, and an accepted
   * outcome is stored for the other side.
   */
  record Mutual(Outcome outcomeForOther) implements AddRequestResult {}

  /**
   * The recipient has blocked the sender: nothing is stored, and the sender is answered as if the
   * request were pending (a block is not revealed).
   */
  record Ignored() implements AddRequestResult {}

  /** The sender has blocked the recipient: nothing changed (unblock first). */
  record BlockedByMe() implements AddRequestResult {}
}
