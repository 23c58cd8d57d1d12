package imps.server.store;

import java.util.List;

/**
 * A page of the conversation between two users.
 *
 * @param messages in the order asked for (newest first when paging older, else oldest first)
 * @param more whether further messages follow in that direction
 */
public record HistorySlice(List<StoredMessage> messages, boolean more) {
  public HistorySlice {
    messages = List.copyOf(messages);
  }
}
