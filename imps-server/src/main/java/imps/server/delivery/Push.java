package imps.server.delivery;

import imps.protocol.message.ImpsMessage;

/**
 * A frame to push to a user, and what it carries.
 *
 * @param mark the stored item the frame delivers, or {@code null} for frames that carry none
 *     (presence changes)
 */
public record Push(ImpsMessage frame, DeliveryMark mark) {

  /** A push of a frame that carries no stored item. */
  public static Push of(ImpsMessage frame) {
    return new Push(frame, null);
  }
}
