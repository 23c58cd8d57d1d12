package imps.protocol.message;

import imps.protocol.CommandType;

/**
 * {@code C_HISTORY} (47): a page of the conversation with {@code peer}, both directions, by the
 * server's message numbers (docs/PROTOCOL.md 8.6).
 *
 * @param fromId the message number to page from, exclusive; 0 = from the newest (older) or from the
 *     start (newer)
 * @param newer {@code false}: messages numbered below {@code fromId}, newest first; {@code true}:
 *     messages numbered above {@code fromId}, oldest first
 * @param maxItems how many messages at most (the server bounds it to {@link #MAX_ITEMS})
 */
public record HistoryRequest(String peer, long fromId, boolean newer, int maxItems)
    implements ImpsMessage {
  /** The largest page the server gives, whatever the client asks for. */
  public static final int MAX_ITEMS = 100;

  @Override
  public CommandType commandType() {
    return CommandType.C_HISTORY;
  }
}
