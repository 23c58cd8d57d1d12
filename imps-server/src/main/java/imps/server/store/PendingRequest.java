package imps.server.store;

/**
 * A friend request waiting for an answer.
 *
 * @param seq the sequence number of this item among {@code toId}'s stored items
 */
public record PendingRequest(long id, long seq, long fromId, String fromName, long toId) {}
