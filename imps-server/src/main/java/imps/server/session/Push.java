package imps.server.session;

import imps.protocol.message.ImpsMessage;

/**
 * A frame to push to a user, and what to record once it is written.
 *
 * @param mark what was delivered (a stored message or outcome), or {@code null} when nothing needs
 *     recording
 */
public record Push(ImpsMessage frame, DeliveryMark mark) {

  public static Push of(ImpsMessage frame) {
    return new Push(frame, null);
  }

  /** A stored item whose delivery must be recorded. */
  public record DeliveryMark(Kind kind, long id) {
    public enum Kind {
      MESSAGE,
      OUTCOME
    }
  }
}
