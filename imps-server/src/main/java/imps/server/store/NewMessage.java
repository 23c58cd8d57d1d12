package imps.server.store;

/**
 * A message or clip to store.
 *
 * @param text the text, or {@code null} for a clip
 * @param audio the clip, or {@code null} for a text
 * @param acceptedAt server time of acceptance, {@code yyyy-MM-dd HH:mm:ss}, as the recipient sees
 *     it
 * @param clientId the sender's id of the message, 0 for none: a second message with the same sender
 *     and id is not stored (the first is returned)
 * @param createdAt when it was accepted, epoch milliseconds (for retention)
 * @param wantsReceipts whether the sender asked for delivery and read receipts
 */
public record NewMessage(
    long senderId,
    String senderName,
    long recipientId,
    String text,
    byte[] audio,
    String acceptedAt,
    long clientId,
    long createdAt,
    boolean wantsReceipts) {}
