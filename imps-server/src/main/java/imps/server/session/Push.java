package imps.server.session;

import imps.protocol.message.ImpsMessage;

/**
 * A frame to push to a user, and what it carries.
 *
 * @param mark the stored item the frame delivers, or {@code null} for frames that carry none
 *     (presence changes)
 */
public record Push(ImpsMessage frame, DeliveryMark mark) {

  public static Push of(ImpsMessage frame) {
    return new Push(frame, null);
  }

  /**
   * A stored item. Delivery of messages and outcomes is recorded once the frame is written; friend
   * requests are not (they stay pending until answered), the mark only lets the login backlog and a
   * live push of the same request be told apart.
   */
  public record DeliveryMark(Kind kind, long id) {
    public enum Kind {
      MESSAGE,
      OUTCOME,
      REQUEST
    }

    /** Whether delivering this item must be recorded in the store. */
    public boolean recorded() {
      return kind != Kind.REQUEST;
    }
  }
}
