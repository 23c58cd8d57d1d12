package imps.server.delivery;

import imps.protocol.message.AudioPush;
import imps.protocol.message.ImpsMessage;
import imps.protocol.message.MessagePush;

/**
 * A frame to push to a user, and what it carries.
 *
 * @param mark the stored item the frame delivers, or {@code null} for frames that carry none
 *     (presence changes)
 * @param seq the stored item's sequence number among the recipient's items, 0 when there is none
 */
public record Push(ImpsMessage frame, DeliveryMark mark, long seq) {

  /** A push of a frame that carries no stored item. */
  public static Push of(ImpsMessage frame) {
    return new Push(frame, null, 0);
  }

  /** Whether the frame delivers a stored item whose delivery is recorded (message, outcome). */
  public boolean isStoredItem() {
    return mark != null && mark.recorded();
  }

  /**
   * About how many bytes of heap the push holds, for budgets: what its variable parts take plus a
   * fixed overhead. Not exact, and need not be.
   */
  public long weight() {
    if (frame instanceof AudioPush a) {
      return 128 + a.data().length();
    }
    if (frame instanceof MessagePush m) {
      return 128 + 2L * m.message().length();
    }
    return 128;
  }
}
