package imps.protocol.message;

import imps.protocol.CommandType;
import java.util.List;

/**
 * {@code S_HISTORY} (48): the reply to {@code C_HISTORY}: messages of the conversation with {@code
 * peer} in the order asked for, as many as were asked for and fit one frame.
 *
 * @param more whether more messages follow in that direction (ask again from the last one's id)
 * @param entries never {@code null}; an unmodifiable copy is kept
 */
public record HistoryPage(String peer, boolean more, List<Entry> entries) implements ImpsMessage {
  public HistoryPage {
    entries = List.copyOf(entries);
  }

  /**
   * One message or clip of the conversation.
   *
   * @param id the server's message number: increases in acceptance order, the paging point
   * @param outgoing whether the user sent it (else the peer did)
   * @param acceptedAt server time of acceptance, {@code yyyy-MM-dd HH:mm:ss}
   * @param text the text, or {@code null} for a clip
   * @param clip the clip's bytes, or {@code null} for a text
   */
  public record Entry(long id, boolean outgoing, String acceptedAt, String text, ClipBytes clip) {
    public Entry {
      if ((text == null) == (clip == null)) {
        throw new IllegalArgumentException("an entry is a text or a clip");
      }
    }

    public static Entry text(long id, boolean outgoing, String acceptedAt, String text) {
      return new Entry(id, outgoing, acceptedAt, text, null);
    }

    public static Entry clip(long id, boolean outgoing, String acceptedAt, ClipBytes clip) {
      return new Entry(id, outgoing, acceptedAt, null, clip);
    }

    public boolean isClip() {
      return clip != null;
    }
  }

  @Override
  public CommandType commandType() {
    return CommandType.S_HISTORY;
  }
}
