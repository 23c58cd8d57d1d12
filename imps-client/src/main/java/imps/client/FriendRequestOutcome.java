package imps.client;

import java.util.Objects;

/**
 * The later outcome of a friend request this user made, or the confirmation that a request this
 * user accepted made the friendship.
 *
 * @param user the other user, as registered (as requested when the server did not say)
 * @param result what became of the request
 * @param friend the new friend's status and position when {@code result} is {@link
 *     Result#ACCEPTED}, otherwise {@code null}
 */
public record FriendRequestOutcome(String user, Result result, Friend friend) {

  /** What became of a friend request. */
  public enum Result {
    /** The friendship exists now. */
    ACCEPTED,
    /** The other user declined. */
    DECLINED,
    /** There is no user of that name. */
    NO_SUCH_USER
  }

  public FriendRequestOutcome {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(result, "result");
    if ((result == Result.ACCEPTED) != (friend != null)) {
      throw new IllegalArgumentException("an accepted outcome, and only that, carries the friend");
    }
  }
}
