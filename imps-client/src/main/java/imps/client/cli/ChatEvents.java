package imps.client.cli;

import imps.client.Account;
import imps.client.Friend;
import imps.client.FriendRequestOutcome;
import imps.client.ImpsClientException;
import imps.client.MessageReceipt;
import imps.client.Position;
import imps.client.ReceivedClip;
import imps.client.ReceivedMessage;
import imps.protocol.Presence;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * What the chat shows of incoming events: {@link PrintingListener}'s lines, plus the greeting after
 * each login, the friends it knows, and connection changes with what the user can do about them.
 */
final class ChatEvents extends PrintingListener {
  private final Map<String, Friend> friends = new ConcurrentHashMap<>();
  private final StatusMemory statusMemory;
  private final OutgoingMessages outgoing;
  private volatile BiConsumer<String, Long> markRead = (sender, seq) -> {};
  private volatile String server = "";
  private volatile boolean loggedInBefore;
  private volatile boolean kicked;
  private volatile boolean leaving;

  ChatEvents(Consumer<String> out, Path clipDir, StatusMemory statusMemory) {
    super(out, clipDir);
    this.statusMemory = statusMemory;
    this.outgoing = new OutgoingMessages(out);
  }

  /** The states of this user's own messages. */
  OutgoingMessages outgoing() {
    return outgoing;
  }

  /**
   * How a message or clip that was shown is marked read, given its sender and sequence number (set
   * once the client exists).
   */
  void markReadWith(BiConsumer<String, Long> markRead) {
    this.markRead = markRead;
  }

  /** Where the user is (the last shared position, or {@code null}), for friends' live positions. */
  void meWith(java.util.function.Supplier<Position> me) {
    this.me = me;
  }

  private volatile java.util.function.Supplier<Position> me = () -> null;

  /** A friend's live position: remembered for /where, shown with distance and direction. */
  @Override
  public void onFriendMoved(String friend, Position position, String time) {
    friends.computeIfPresent(friend, (k, f) -> new Friend(f.name(), f.status(), position, time));
    print(EventFormat.moved(friend, position, time, me.get()));
  }

  /** Shows the message, then tells the sender it was read (when the connection has receipts). */
  @Override
  public void onMessage(ReceivedMessage m) {
    super.onMessage(m);
    markRead.accept(m.sender(), m.seq());
  }

  /** Saves and reports the clip, then tells the sender it was received and shown as read. */
  @Override
  public void onVoiceClip(ReceivedClip clip) {
    super.onVoiceClip(clip);
    markRead.accept(clip.sender(), clip.seq());
  }

  @Override
  public void onReceipt(MessageReceipt receipt) {
    outgoing.receipt(receipt);
  }

  /** The server this chat talks to ({@code host:port}), for the status memory. */
  void server(String server) {
    this.server = server;
  }

  /** The session is ending on purpose: the drop that follows is not news. */
  void leaving() {
    leaving = true;
  }

  /** The session is not ending after all (an account deletion the server refused). */
  void staying() {
    leaving = false;
  }

  /** Replaces the known friends with {@code list}. */
  void friends(List<Friend> list) {
    friends.clear();
    list.forEach(f -> friends.put(f.name(), f));
  }

  void addFriend(Friend f) {
    friends.put(f.name(), f);
  }

  /** Friend names, sorted. */
  List<String> friendNames() {
    return List.copyOf(new TreeMap<>(friends).keySet());
  }

  /** The friend called {@code name} in any case, if known. */
  Optional<Friend> friend(String name) {
    return friends.values().stream().filter(f -> f.name().equalsIgnoreCase(name)).findFirst();
  }

  /** Remembers the status the user chose, to remind them at the next login when invisible. */
  void statusChosen(String user, Presence status) {
    statusMemory.remember(server, user, status);
  }

  @Override
  String requestHint(String from) {
    return " (/accept " + from + " or /reject " + from + ")";
  }

  @Override
  public void onLoggedIn(Account account) {
    kicked = false;
    print(
        loggedInBefore
            ? "reconnected as " + account.userName()
            : "logged in as " + account.userName() + ". Type /help for commands.");
    loggedInBefore = true;
    // The server says how the user logged in (invisibility is remembered across logins, set from
    // any client); a server that does not say leaves this machine's memory of the last choice.
    Presence as =
        account.status() != null
            ? account.status()
            : statusMemory.recall(server, account.userName());
    if (as == Presence.INVISIBLE) {
      print("you are invisible: friends see you as offline (/status online to show yourself)");
    }
  }

  /** {@code name} is no longer a friend (unfriended or blocked, either side). */
  void removeFriend(String name) {
    friends.keySet().removeIf(k -> k.equalsIgnoreCase(name));
  }

  @Override
  public void onFriendRemoved(String friend) {
    removeFriend(friend);
    super.onFriendRemoved(friend);
  }

  @Override
  public void onPresence(String friend, Presence presence) {
    friends.computeIfPresent(
        friend, (k, f) -> new Friend(f.name(), presence, f.position(), f.positionTime()));
    super.onPresence(friend, presence);
  }

  @Override
  public void onFriendRequestOutcome(FriendRequestOutcome outcome) {
    if (outcome.friend() != null) {
      friends.put(outcome.user(), outcome.friend());
    }
    super.onFriendRequestOutcome(outcome);
  }

  @Override
  public void onLoggedInElsewhere() {
    kicked = true;
    print(
        "logged in elsewhere; this session was closed. /reconnect to log in here again (that"
            + " ends the other session), /quit to leave");
  }

  @Override
  public void onDisconnected(Throwable cause, boolean reconnecting) {
    if (kicked || leaving) {
      return;
    }
    print(
        reconnecting
            ? "connection lost; reconnecting..."
            : "connection lost. /reconnect to log in again, /quit to leave");
  }

  @Override
  public void onReconnectFailed(Throwable cause) {
    ImpsClientException e = ImpsClientException.unwrap(cause);
    String why = e != null ? Messages.describe(e, null) : String.valueOf(cause.getMessage());
    print("error: could not reconnect: " + why + ". /reconnect to try again, /quit to leave");
  }
}
