package imps.server.store;

/**
 * What storing a message did.
 *
 * @param message the stored message: the new one, or the one stored earlier with the same sender
 *     and client id
 * @param duplicate true when nothing was stored because of that earlier one
 */
public record Appended(StoredMessage message, boolean duplicate) {}
