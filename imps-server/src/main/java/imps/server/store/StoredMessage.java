package imps.server.store;

/**
 * A text message or voice clip, as accepted.
 *
 * @param id increases in acceptance order
 * @param text the text, or {@code null} for a clip
 * @param audio the clip, or {@code null} for a text (not copied: treat as read-only)
 * @param acceptedAt server time of acceptance, {@code yyyy-MM-dd HH:mm:ss}
 */
public record StoredMessage(
    long id,
    long senderId,
    String senderName,
    long recipientId,
    String text,
    byte[] audio,
    String acceptedAt) {

  public boolean isAudio() {
    return audio != null;
  }
}
