package imps.client;

import java.util.List;

/**
 * A page of the conversation with one user ({@link ImpsClient#history}).
 *
 * @param peer the other user, as registered
 * @param items in the order asked for: newest first when paging back, oldest first forward
 * @param more whether further messages follow in that direction: ask again from the last item's
 *     {@link HistoryItem#id()}
 */
public record ConversationPage(String peer, List<HistoryItem> items, boolean more) {
  public ConversationPage {
    items = List.copyOf(items);
  }

  /** The id to page on from (the last item's), or 0 when the page is empty. */
  public long lastId() {
    return items.isEmpty() ? 0 : items.get(items.size() - 1).id();
  }
}
