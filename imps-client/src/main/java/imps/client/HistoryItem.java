package imps.client;

import imps.protocol.message.ClipBytes;

/**
 * One message or voice clip of a conversation, as {@link ImpsClient#history} returns it.
 *
 * @param id the server's message number: increases in acceptance order; page from it
 * @param outgoing whether the user sent it (else the peer did)
 * @param acceptedAt when the server accepted it, {@code yyyy-MM-dd HH:mm:ss}
 * @param text the text, or {@code null} for a clip
 * @param clip the clip's bytes, or {@code null} for a text
 */
public record HistoryItem(
    long id, boolean outgoing, String acceptedAt, String text, ClipBytes clip) {
  /** Whether this is a voice clip. */
  public boolean isClip() {
    return clip != null;
  }
}
