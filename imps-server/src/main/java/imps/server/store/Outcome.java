package imps.server.store;

/**
 * The outcome of a friend request, stored for the user to be told ({@code userId}) until it has
 * been delivered.
 *
 * @param seq the sequence number of this item among {@code userId}'s stored items
 * @param accepted true for S_ADDFRIEND_RSP(1), false for S_ADDFRIEND_RSP(0)
 * @param otherId the user the outcome concerns
 */
public record Outcome(
    long id, long seq, long userId, long otherId, String otherName, boolean accepted) {}
