package imps.server.delivery;

import imps.protocol.message.AudioPush;
import imps.protocol.message.ClipBytes;
import imps.protocol.message.FriendRequestPush;
import imps.protocol.message.ImpsMessage;
import imps.protocol.message.MessagePush;
import imps.protocol.message.Receipt;

/** The pushes of stored items, each marked with the item it delivers. */
public final class Pushes {
  private Pushes() {}

  /**
   * The push of a stored message: {@code S_SEND_MSG} for a text, {@code S_AUDIO_RSP} for a clip.
   *
   * @param text the text, or {@code null} for a clip
   * @param clip the clip, or {@code null} for a text
   * @param seq the recipient's sequence number of the message
   */
  public static Push message(
      long id, long seq, String senderName, String text, byte[] clip, String acceptedAt) {
    ImpsMessage frame =
        clip != null
            ? new AudioPush(senderName, ClipBytes.copyOf(clip), acceptedAt)
            : new MessagePush(senderName, text, acceptedAt);
    return new Push(frame, DeliveryMark.message(id), seq);
  }

  /** The push of a pending friend request ({@code S_ADDFRIEND_REQ}). */
  public static Push friendRequest(long requestId, long seq, String fromName) {
    return new Push(new FriendRequestPush(fromName), DeliveryMark.request(requestId), seq);
  }

  /**
   * The push of a receipt ({@code S_RECEIPT}) for a sender: every message to {@code peerName} up to
   * client message id {@code upTo} was delivered (or read).
   */
  public static Push receipt(long seq, String peerName, boolean read, long upTo) {
    return new Push(
        new Receipt(peerName, upTo, read ? Receipt.State.READ : Receipt.State.DELIVERED),
        // A receipt row is advanced in place, each time with a new sequence number: that number,
        // not the row, identifies the item, so that an advanced receipt is never taken for a late
        // copy of the one a login backlog sent.
        DeliveryMark.receipt(seq),
        seq);
  }

  /** The push of a friend-request outcome ({@code S_ADDFRIEND_RSP}). */
  public static Push outcome(long outcomeId, long seq, ImpsMessage frame) {
    return new Push(frame, DeliveryMark.outcome(outcomeId), seq);
  }
}
