package imps.server.store;

/**
 * What storing a message did.
 *
 * @param message the stored message: the new one, or the one stored earlier with the same sender
 *     and client id
 * @param duplicate true when nothing was stored because of that earlier one
 * @param overQuota true when nothing was stored because the recipient's undelivered items are at
 *     their quota ({@code message} is null then)
 */
public record Appended(StoredMessage message, boolean duplicate, boolean overQuota) {
  public Appended(StoredMessage message, boolean duplicate) {
    this(message, duplicate, false);
  }

  /** Nothing stored: the recipient's quota is full. */
  public static Appended refusedOverQuota() {
    return new Appended(null, false, true);
  }
}
