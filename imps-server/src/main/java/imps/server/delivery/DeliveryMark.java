package imps.server.delivery;

/**
 * A stored item a push carries. Delivery of messages and outcomes is recorded once the frame is
 * written; friend requests are not (they stay pending until answered): their mark only lets the
 * login backlog and a live push of the same request be told apart.
 */
public record DeliveryMark(Kind kind, long id) {

  /** The kinds of stored item. */
  public enum Kind {
    MESSAGE,
    OUTCOME,
    REQUEST,
    /** A receipt: only ever pushed to clients that acknowledge, so never marked on write. */
    RECEIPT
  }

  public static DeliveryMark message(long id) {
    return new DeliveryMark(Kind.MESSAGE, id);
  }

  public static DeliveryMark outcome(long id) {
    return new DeliveryMark(Kind.OUTCOME, id);
  }

  public static DeliveryMark request(long id) {
    return new DeliveryMark(Kind.REQUEST, id);
  }

  /**
   * @param seq the receipt's sequence number: a receipt is advanced in place, so its row id does
   *     not identify what was pushed
   */
  public static DeliveryMark receipt(long seq) {
    return new DeliveryMark(Kind.RECEIPT, seq);
  }

  /** Whether delivering this item must be recorded in the store. */
  public boolean recorded() {
    return kind == Kind.MESSAGE || kind == Kind.OUTCOME;
  }
}
