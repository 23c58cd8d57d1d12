package imps.client.cli;

import imps.client.ConversationPage;
import imps.client.HistoryItem;
import imps.client.ImpsClient;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The chat's {@code /history NAME [N]}: the last N messages and clips with NAME, both directions,
 * printed oldest first like the conversation itself; repeating the command shows the N before
 * those.
 */
final class HistoryView {
  static final int DEFAULT_COUNT = 20;
  static final int MAX_COUNT = 100;

  private final ImpsClient client;
  private final Consumer<String> out;
  private String peer; // the conversation shown last, and the oldest message shown of it
  private long before;

  HistoryView(ImpsClient client, Consumer<String> out) {
    this.client = client;
    this.out = out;
  }

  /**
   * Shows a page; a count that is not a number in 1..100 is refused with the usage line. Returns
   * whether messages were shown.
   */
  synchronized boolean show(String name, String count) {
    int n;
    try {
      n = count == null ? DEFAULT_COUNT : Integer.parseInt(count.strip());
    } catch (NumberFormatException e) {
      n = 0;
    }
    if (n < 1 || n > MAX_COUNT) {
      out.accept("usage: /history NAME [N]   (N from 1 to " + MAX_COUNT + ")");
      return false;
    }
    long from = name.equalsIgnoreCase(peer) ? before : 0;
    ConversationPage page = client.history(name, from, false, n).join();
    if (page.items().isEmpty()) {
      out.accept(from == 0 ? "no messages with " + page.peer() : "no older messages");
      return false;
    }
    peer = page.peer();
    before = page.lastId();
    List<HistoryItem> oldestFirst = new ArrayList<>(page.items());
    java.util.Collections.reverse(oldestFirst);
    for (HistoryItem i : oldestFirst) {
      out.accept(line(page.peer(), i));
    }
    out.accept(
        page.more()
            ? "(older messages: /history " + page.peer() + (count == null ? "" : " " + n) + ")"
            : "(start of the conversation)");
    return true;
  }

  static String line(String peer, HistoryItem i) {
    String who = i.outgoing() ? "me" : peer;
    String what = i.isClip() ? "(voice clip, " + i.clip().length() + " bytes)" : i.text();
    return "[" + i.acceptedAt() + "] " + who + ": " + what;
  }
}
