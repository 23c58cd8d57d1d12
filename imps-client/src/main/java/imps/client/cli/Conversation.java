package imps.client.cli;

import imps.client.ImpsClient;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The chat's current conversation: the friend plain lines go to. It changes only to a friend, and
 * only once a text went out to them or they were opened with {@code /msg NAME}; opening shows the
 * friend's unread messages, opening or writing marks them read.
 */
final class Conversation {
  private final ImpsClient client;
  private final ChatEvents events;
  private final TextSending sending;
  private final UnreadView unread;
  private final UnaryOperator<String> canonical;
  private final Consumer<String> console;
  private volatile String current;

  Conversation(
      ImpsClient client,
      ChatEvents events,
      TextSending sending,
      UnreadView unread,
      UnaryOperator<String> canonical,
      Consumer<String> console) {
    this.client = client;
    this.events = events;
    this.sending = sending;
    this.unread = unread;
    this.canonical = canonical;
    this.console = console;
  }

  /** The friend plain lines go to, or {@code null}. */
  String current() {
    return current;
  }

  /** {@code /msg NAME [TEXT]}. */
  void msg(String name, String text) {
    if (text != null) {
      if (sending.send(name, text)) {
        current = canonical.apply(name);
        unread.markRead(current);
      }
      return;
    }
    if (events.friend(name).isEmpty()) {
      events.friends(client.friends().join());
    }
    if (events.friend(name).isEmpty()) {
      console.accept("error: " + name + " is not your friend (ask with /add " + name + ")");
      return;
    }
    current = canonical.apply(name);
    unread.open(current);
    console.accept("now talking to " + current + "; plain lines are sent to them");
  }

  /** {@code name} is no longer a friend: no longer the conversation either. */
  void ends(String name) {
    String c = current;
    if (c != null && c.equalsIgnoreCase(name)) {
      current = null;
    }
  }
}
