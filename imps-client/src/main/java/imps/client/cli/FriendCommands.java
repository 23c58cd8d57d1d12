package imps.client.cli;

import imps.client.AddFriendResult;
import imps.client.Friend;
import imps.client.ImpsClient;
import imps.client.Position;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * The friend commands of {@link ChatSession}: {@code /friends} (with unread counts), {@code
 * /where}, {@code /add}, {@code /unfriend}, {@code /block}, {@code /unblock} and {@code /blocked}.
 * Each runs on the caller's thread, waits for the server's reply and prints the outcome; a refusal
 * propagates as the {@link java.util.concurrent.CompletionException} of the request, for the
 * session to report.
 */
final class FriendCommands {
  private final ImpsClient client;
  private final ChatEvents events;
  private final ChatSession.Console console;
  private final Supplier<Position> me;
  private final Consumer<String> conversationEnds;
  private final ToIntFunction<String> unread;

  /**
   * @param me the user's own position, for distances
   * @param conversationEnds told the name of a user who is no longer a friend
   * @param unread how many messages from a friend are unread, as last asked
   */
  FriendCommands(
      ImpsClient client,
      ChatEvents events,
      ChatSession.Console console,
      Supplier<Position> me,
      Consumer<String> conversationEnds,
      ToIntFunction<String> unread) {
    this.client = client;
    this.events = events;
    this.console = console;
    this.me = me;
    this.conversationEnds = conversationEnds;
    this.unread = unread;
  }

  /** A friend's name as registered, when known; otherwise as typed. */
  String canonical(String name) {
    return events.friend(name).map(Friend::name).orElse(name);
  }

  void list() {
    List<Friend> list = client.friends().join();
    events.friends(list);
    if (list.isEmpty()) {
      console.print("no friends yet; ask someone with /add NAME");
    }
    list.forEach(
        f ->
            console.print(
                EventFormat.friend(f, me.get()) + UnreadView.suffix(unread.applyAsInt(f.name()))));
  }

  void where(String name) {
    events.friends(client.friends().join());
    console.print(
        events
            .friend(name)
            .map(f -> EventFormat.friend(f, me.get()))
            .orElse("error: " + name + " is not your friend (ask with /add " + name + ")"));
  }

  void add(String name) {
    AddFriendResult r = client.addFriend(name).join();
    switch (r.outcome()) {
      case SENT -> console.print("friend request sent to " + r.userName());
      case FRIENDS -> {
        boolean theyHadAsked = events.hadRequestFrom(r.userName());
        events.answered(r.userName());
        events.addFriend(r.friend());
        console.print(OneShotCommands.Add.friendsLine(r.userName(), theyHadAsked));
      }
      case NO_SUCH_USER -> console.print("error: there is no user named " + r.userName());
      default ->
          console.print("error: " + r.userName() + " cannot be added (friend limit reached)");
    }
  }

  void unfriend(String name) {
    client.unfriend(canonical(name)).join();
    events.removeFriend(name);
    conversationEnds.accept(name);
    console.print(canonical(name) + " is no longer your friend");
  }

  void block(String name, boolean block) {
    if (block) {
      client.block(name).join();
      events.removeFriend(name);
      conversationEnds.accept(name);
      console.print(name + " is blocked (their friend requests and messages will not reach you)");
    } else {
      client.unblock(name).join();
      console.print(
          name + " is no longer blocked (ask with /add " + name + " to be friends again)");
    }
  }

  void blocked() {
    List<String> names = client.blocked().join();
    console.print(
        names.isEmpty() ? "you have blocked nobody" : "blocked: " + String.join(", ", names));
  }
}
