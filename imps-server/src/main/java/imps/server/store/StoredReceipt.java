package imps.server.store;

/**
 * A receipt for a sender ({@code userId}): every message of theirs to {@code peerId} with a client
 * message id up to {@code upTo} has reached {@code state}.
 *
 * @param seq the sequence number of this item among {@code userId}'s stored items
 * @param read true for READ, false for DELIVERED
 */
public record StoredReceipt(
    long id, long seq, long userId, long peerId, String peerName, boolean read, long upTo) {}
