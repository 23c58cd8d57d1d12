package imps.client;

/**
 * The immediate outcome of {@link ImpsClient#addFriend(String)}.
 *
 * @param outcome what happened
 * @param userName the user it concerns (as the server spells it when it said so, otherwise as
 *     requested); never {@code null}
 * @param friend the friend's status and position when {@code outcome} is {@link Outcome#FRIENDS},
 *     otherwise {@code null}
 */
public record AddFriendResult(Outcome outcome, String userName, Friend friend) {

  /** The immediate outcomes the protocol defines for {@code C_ADDFRIEND_REQ}. */
  public enum Outcome {
    /** The request is stored and delivered to the user; the answer arrives later as a push. */
    SENT,
    /**
     * Friends now: already before, or the user had asked first and both requests were accepted at
     * once (the reply does not say which).
     */
    FRIENDS,
    /** No user of that name. */
    NO_SUCH_USER,
    /** Refused at once (the friend limit is reached). */
    REFUSED
  }
}
