package imps.client.cli;

import imps.client.ConversationPage;
import imps.client.HistoryItem;
import imps.client.ImpsClient;
import imps.client.ImpsClientException;
import imps.client.ImpsRefusedException;
import imps.client.UnreadCounts;
import imps.protocol.ErrorCode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * The chat's unread counts (docs/PROTOCOL.md 8.8): asked for at login and by {@code /friends},
 * shown per friend, and marked read when the user opens or writes in a conversation.
 *
 * <p>The chat marks every message it shows read as it shows it ({@link ChatEvents}), and the server
 * keeps one session per user, so what is unread for a chat user is what reached another client
 * before this login and was not read there. The counts last asked for therefore stay true while the
 * chat runs, but for the friends marked read since. Opening a conversation shows those messages
 * (from history) and marks them read up to the counts' AsOfSeq, which covers exactly the counted
 * ones.
 */
final class UnreadView {
  private final ImpsClient client;
  private final Consumer<String> out;
  private volatile UnreadCounts last; // null: not asked yet, or the server does not offer counts

  UnreadView(ImpsClient client, Consumer<String> out) {
    this.client = client;
    this.out = out;
  }

  /**
   * Asks the server for the counts and keeps them; {@code null} when it does not offer them (an
   * older server, legacy options). Other failures propagate.
   */
  UnreadCounts refresh() {
    try {
      last = client.unread().join();
    } catch (CompletionException e) {
      if (!(ImpsClientException.unwrap(e) instanceof ImpsRefusedException r
          && r.errorCode() == ErrorCode.NOT_PERMITTED)) {
        throw e;
      }
      last = null;
    }
    return last;
  }

  /** At login: one line per friend with unread messages. */
  void greet() {
    UnreadCounts u = refresh();
    if (u != null) {
      u.byFriend()
          .forEach((name, n) -> out.accept(count(n) + " unread from " + name + greetHint(name)));
    }
  }

  private static String greetHint(String name) {
    return " (/msg " + name + " shows them)";
  }

  /** How many messages from {@code name} are unread, as last asked. */
  int count(String name) {
    UnreadCounts u = last;
    return u == null ? 0 : u.count(name);
  }

  /**
   * The user opened the conversation with {@code name}: shows its unread messages (the newest, up
   * to 100) oldest first, and marks them read.
   */
  void open(String name) {
    int n = count(name);
    if (n == 0) {
      return;
    }
    ConversationPage page = client.history(name, Math.min(n, HistoryView.MAX_COUNT)).join();
    List<HistoryItem> incoming = new ArrayList<>();
    for (HistoryItem i : page.items()) {
      if (!i.outgoing()) {
        incoming.add(i);
      }
    }
    Collections.reverse(incoming);
    out.accept(
        count(n) + " unread from " + page.peer() + (incoming.size() < n ? " (the newest):" : ":"));
    incoming.forEach(i -> out.accept(HistoryView.line(page.peer(), i)));
    markRead(name);
  }

  /** The user wrote to {@code name} (or saw the conversation): its counted messages are read. */
  void markRead(String name) {
    UnreadCounts u = last;
    if (u == null || u.count(name) == 0) {
      return;
    }
    client.markRead(name, u.asOfSeq()).join();
    Map<String, Integer> rest = new LinkedHashMap<>(u.byFriend());
    rest.keySet().removeIf(k -> k.equalsIgnoreCase(name));
    last = new UnreadCounts(u.asOfSeq(), rest);
  }

  /** A count as shown: 1,000 means 1,000 or more. */
  static String count(int n) {
    return n >= imps.protocol.message.UnreadCounts.MAX_COUNT ? n + "+" : String.valueOf(n);
  }

  /** The suffix of a friend's line in {@code /friends} and {@code ./imps friends}. */
  static String suffix(int n) {
    return n == 0 ? "" : "  " + count(n) + " unread";
  }
}
