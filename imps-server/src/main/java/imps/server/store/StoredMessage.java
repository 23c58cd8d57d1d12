package imps.server.store;

/**
 * A text message or voice clip, as accepted.
 *
 * @param id increases in acceptance order
 * @param seq the recipient's sequence number of this item (see {@link AccountStore#ack})
 * @param text the text, or {@code null} for a clip
 * @param audio the clip, or {@code null} for a text (not copied: treat as read-only)
 * @param acceptedAt server time of acceptance, {@code yyyy-MM-dd HH:mm:ss}
 * @param clientId the sender's id of the message (idempotent sends), 0 for none
 */
public record StoredMessage(
    long id,
    long seq,
    long senderId,
    String senderName,
    long recipientId,
    String text,
    byte[] audio,
    String acceptedAt,
    long clientId) {
  public boolean isAudio() {
    return audio != null;
  }
}
