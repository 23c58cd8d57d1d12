package imps.client.cli;

import imps.client.AddFriendResult;
import imps.client.Friend;
import imps.client.ImpsClient;
import imps.client.ImpsClientException;
import imps.client.ImpsConnectionException;
import imps.client.ImpsListener;
import imps.protocol.Gender;
import imps.protocol.Presence;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * The command layer of {@code ./imps chat}, independent of the terminal: {@link #handle(String)}
 * takes one typed line, and everything to show goes to the {@link Console} (in the terminal client,
 * printed above the prompt). Tests drive it with scripted lines.
 *
 * <p>Commands are handled on the caller's thread, one at a time; incoming events arrive on the
 * client's event thread ({@link ChatEvents}). Every refusal is printed as {@code error: ...}.
 *
 * <p>While the connection is down, commands that need the server are refused at once with a line
 * that says so (nothing is queued): typed text is not sent later, when its context may have
 * changed.
 */
public final class ChatSession implements AutoCloseable {

  /** Where the session's output goes; must be thread-safe. */
  @FunctionalInterface
  public interface Console {
    void print(String line);
  }

  /** The commands and their help lines, for {@code /help} and completion. */
  public static final Map<String, String> COMMANDS = ChatHelp.COMMANDS;

  private final ImpsClient client;
  private final Console console;
  private final ChatEvents events;
  private final LocationSharing location;
  private final HistoryView history;
  private volatile String conversation;
  private volatile ImpsClientException lastError;
  private volatile String user;
  private volatile String password;
  private volatile Function<String, String> secrets; // for /passwd, without echo

  /**
   * @param clientFactory makes the client, given the listener this session provides
   * @param console where output goes
   * @param saveDir where received voice clips are saved
   */
  public ChatSession(
      Function<ImpsListener, ImpsClient> clientFactory, Console console, Path saveDir) {
    this(clientFactory, console, ChatSettings.of(saveDir));
  }

  public ChatSession(
      Function<ImpsListener, ImpsClient> clientFactory, Console console, ChatSettings settings) {
    this.console = console;
    this.events =
        new ChatEvents(console::print, settings.clipDir(), new StatusMemory(settings.statusFile()));
    this.client = clientFactory.apply(events);
    // Never waits: it runs on the client's event thread. A failure only loses the read receipt.
    events.markReadWith((sender, seq) -> client.markRead(sender, seq));
    events.server(
        client.options().host()
            + ":"
            + client.options().port()
            + (client.options().tls().enabled() ? " (TLS)" : ""));
    this.location = new LocationSharing(client, console, settings.walkInterval());
    this.history = new HistoryView(client, console::print);
    events.meWith(location::me);
  }

  /**
   * Where {@code /passwd} reads passwords: {@code prompt -> answer}, without echo. Unset, the
   * command is refused.
   */
  public void secretsFrom(Function<String, String> secrets) {
    this.secrets = secrets;
  }

  /** The SDK client. */
  public ImpsClient client() {
    return client;
  }

  /** Connects; prints why not. Returns whether connected. */
  public boolean connect() {
    try {
      client.connect().join();
      return true;
    } catch (CompletionException e) {
      report(e, null);
      return false;
    }
  }

  /**
   * Connects if needed and logs in; the greeting comes from the event thread, before anything the
   * server sends after the login. Prints why not. Returns whether logged in.
   */
  public boolean login(String user, String password) {
    try {
      client.connect().join();
      client.login(user, password).join();
      this.user = client.userName();
      this.password = password;
      lastError = null;
      events.friends(client.friends().join());
      return true;
    } catch (CompletionException e) {
      report(e, user);
      return false;
    }
  }

  /**
   * Connects if needed and registers; prints the outcome. Returns whether registered; {@link
   * #lastError()} is {@code null} when the name was taken.
   */
  public boolean register(String user, String password, Gender gender, String email) {
    try {
      client.connect().join();
      lastError = null;
      if (client.register(user, password, gender, email).join()) {
        console.print("registered " + user);
        return true;
      }
      console.print("error: the user name " + user + " is already taken");
      return false;
    } catch (CompletionException e) {
      report(e, user);
      return false;
    }
  }

  /** Why the last request failed, or {@code null}. */
  public ImpsClientException lastError() {
    return lastError;
  }

  /** The prompt: the current conversation, if any. */
  public String prompt() {
    String c = conversation;
    return c == null ? "> " : "[" + c + "]> ";
  }

  /** Friend names known to the session, for completion. */
  public List<String> friendNames() {
    return events.friendNames();
  }

  /** Users whose friend requests are waiting for an answer, for completion. */
  public List<String> pendingRequests() {
    return events.pendingRequests();
  }

  /**
   * Handles one typed line.
   *
   * @return {@code false} when the session should end
   */
  public boolean handle(String line) {
    if (line.isEmpty()) {
      return true;
    }
    String text = line.strip();
    if (text.isEmpty()) {
      console.print("error: " + InputRules.messageProblem(line)); // spaces only
      return true;
    }
    if (!text.startsWith("/")) {
      String to = conversation;
      if (to == null) {
        console.print("no conversation yet: start one with /msg NAME TEXT (see /help)");
      } else {
        send(to, text);
      }
      return true;
    }
    String[] parts = text.split("\\s+", 3);
    String cmd = parts[0].toLowerCase(Locale.ROOT);
    String arg1 = parts.length > 1 ? parts[1] : null;
    String rest = parts.length > 2 ? parts[2] : null;
    try {
      switch (cmd) {
        case "/quit", "/exit" -> {
          return false;
        }
        case "/help" -> COMMANDS.values().forEach(console::print);
        case "/reconnect" -> reconnect();
        case "/stop" -> location.stop();
        case "/walk" ->
            location.walk(arg1 == null ? null : arg1 + (rest == null ? "" : " " + rest));
        default -> {
          if (COMMANDS.containsKey(cmd) && offline()) {
            return true;
          }
          serverCommand(cmd, arg1, rest);
        }
      }
    } catch (CompletionException e) {
      report(e, arg1);
    }
    return true;
  }

  private void serverCommand(String cmd, String arg1, String rest) {
    switch (cmd) {
      case "/friends" -> listFriends();
      case "/add" -> {
        if (need(arg1, "/add NAME")) {
          add(arg1);
        }
      }
      case "/accept", "/reject" -> {
        if (need(arg1, cmd + " NAME")) {
          console.print(OneShotCommands.Answer.answer(client, events, arg1, cmd.equals("/accept")));
        }
      }
      case "/msg" -> {
        if (need(arg1, "/msg NAME [TEXT]")) {
          msg(canonical(arg1), rest);
        }
      }
      case "/voice" -> {
        if (need(arg1, "/voice NAME FILE") && need(rest, "/voice NAME FILE")) {
          voice(arg1, Path.of(rest));
        }
      }
      case "/where" -> {
        if (need(arg1, "/where NAME")) {
          where(arg1);
        }
      }
      case "/share" -> {
        if (need(arg1, "/share LAT,LON")) {
          location.share(arg1 + (rest == null ? "" : rest));
        }
      }
      case "/status" -> status(arg1);
      case "/unfriend" -> {
        if (need(arg1, "/unfriend NAME")) {
          client.unfriend(canonical(arg1)).join();
          events.removeFriend(arg1);
          conversationEnds(arg1);
          console.print(canonical(arg1) + " is no longer your friend");
        }
      }
      case "/block", "/unblock" -> {
        if (need(arg1, cmd + " NAME")) {
          block(arg1, cmd.equals("/block"));
        }
      }
      case "/blocked" -> {
        List<String> names = client.blocked().join();
        console.print(
            names.isEmpty() ? "you have blocked nobody" : "blocked: " + String.join(", ", names));
      }
      case "/passwd" -> passwd();
      case "/live" -> {
        if (!"on".equalsIgnoreCase(arg1) && !"off".equalsIgnoreCase(arg1)) {
          console.print("usage: /live on|off");
        } else {
          boolean on = "on".equalsIgnoreCase(arg1);
          client.liveLocations(on).join();
          console.print(on ? "friends' live positions on" : "friends' live positions off");
        }
      }
      case "/history" -> {
        String name = arg1 != null ? arg1 : conversation;
        if (need(name, "/history NAME [N]")) {
          history.show(canonical(name), rest);
        }
      }
      default -> console.print("unknown command " + cmd + " (see /help)");
    }
  }

  /** Signs out (if logged in) and closes the connection. */
  @Override
  public void close() {
    location.close();
    events.leaving();
    if (client.state() == ImpsClient.State.LOGGED_IN) {
      try {
        client.logout().join();
      } catch (CompletionException e) {
        // Leaving anyway; the server notices the closed connection.
      }
    }
    client.close();
  }

  /** Whether the server cannot be asked now; then says so. */
  private boolean offline() {
    ImpsClient.State s = client.state();
    if (s == ImpsClient.State.LOGGED_IN) {
      return false;
    }
    console.print("error: " + offlineText(s));
    return true;
  }

  private static String offlineText(ImpsClient.State s) {
    return s == ImpsClient.State.RECONNECTING
        ? "the connection is down and being re-established; nothing was sent (try again once"
            + " reconnected)"
        : "not connected; nothing was sent (/reconnect to log in again, /quit to leave)";
  }

  private void reconnect() {
    ImpsClient.State s = client.state();
    if (s == ImpsClient.State.LOGGED_IN) {
      console.print("already connected as " + client.userName());
    } else if (s == ImpsClient.State.RECONNECTING) {
      console.print("already reconnecting; wait for 'reconnected'");
    } else if (user == null) {
      console.print("error: not logged in yet");
    } else {
      login(user, password);
    }
  }

  private boolean need(String arg, String usage) {
    if (arg == null) {
      console.print("usage: " + usage);
      return false;
    }
    return true;
  }

  /** {@code /msg}: the conversation changes only to a friend, and only if a text went out. */
  private void msg(String name, String text) {
    if (text != null) {
      if (send(name, text)) {
        conversation = canonical(name);
      }
      return;
    }
    if (events.friend(name).isEmpty()) {
      events.friends(client.friends().join());
    }
    if (events.friend(name).isEmpty()) {
      console.print("error: " + name + " is not your friend (ask with /add " + name + ")");
      return;
    }
    conversation = canonical(name);
    console.print("now talking to " + conversation + "; plain lines are sent to them");
  }

  /** Sends a text; returns whether it went out. */
  private boolean send(String to, String text) {
    String problem = InputRules.messageProblem(text);
    if (problem != null) {
      console.print("error: " + problem);
      return false;
    }
    if (offline()) {
      return false;
    }
    if (events.friend(to).isEmpty()) {
      events.friends(client.friends().join());
    }
    if (events.friend(to).isEmpty()) {
      // Not a friend (as far as this client knows): wait for the server's verdict and say it.
      try {
        client.sendMessage(to, text).join();
        return true;
      } catch (CompletionException e) {
        report(e, to);
        return false;
      }
    }
    // To a friend: the state of the message follows in lines of its own (sent, stored, delivered,
    // read), and the chat does not wait; a send the connection lost goes again after the
    // reconnection.
    String name = canonical(to);
    CompletableFuture<Long> sending = client.sendMessage(name, text);
    if (sending.isCompletedExceptionally()) {
      // Refused before it went out (longer than the client's limit, for example).
      try {
        sending.join();
      } catch (CompletionException e) {
        report(e, name);
      }
      return false;
    }
    OutgoingMessages outgoing = events.outgoing();
    int number = outgoing.sent(name);
    sending.whenComplete(
        (id, err) -> {
          if (err == null) {
            outgoing.stored(number, id);
          } else {
            outgoing.failed(number);
            CliErrors.Failure f = CliErrors.of(err, name);
            console.print(
                "error: #"
                    + number
                    + " to "
                    + name
                    + " was not stored: "
                    + (f != null ? f.message() : String.valueOf(err.getMessage())));
          }
        });
    return true;
  }

  private void add(String name) {
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

  private void block(String name, boolean block) {
    if (block) {
      client.block(name).join();
      events.removeFriend(name);
      conversationEnds(name);
      console.print(name + " is blocked (their friend requests and messages will not reach you)");
    } else {
      client.unblock(name).join();
      console.print(
          name + " is no longer blocked (ask with /add " + name + " to be friends again)");
    }
  }

  private void conversationEnds(String name) {
    String c = conversation;
    if (c != null && c.equalsIgnoreCase(name)) {
      conversation = null;
    }
  }

  /** {@code /passwd}: asks the current and new password (twice) without echo. */
  private void passwd() {
    if (secrets == null) {
      console.print("error: /passwd needs a terminal");
      return;
    }
    String current = secrets.apply("current password: ");
    String next = secrets.apply("new password: ");
    if (!next.equals(secrets.apply("new password again: "))) {
      console.print("error: the new passwords differ; nothing changed");
      return;
    }
    client.changePassword(current, next).join();
    password = next;
    console.print("password changed; your other devices must log in again");
  }

  private void listFriends() {
    List<Friend> list = client.friends().join();
    events.friends(list);
    if (list.isEmpty()) {
      console.print("no friends yet; ask someone with /add NAME");
    }
    list.forEach(f -> console.print(EventFormat.friend(f, location.me())));
  }

  private void where(String name) {
    events.friends(client.friends().join());
    console.print(
        events
            .friend(name)
            .map(f -> EventFormat.friend(f, location.me()))
            .orElse("error: " + name + " is not your friend (ask with /add " + name + ")"));
  }

  private void status(String arg) {
    Presence p =
        "online".equalsIgnoreCase(arg)
            ? Presence.ONLINE
            : "invisible".equalsIgnoreCase(arg) ? Presence.INVISIBLE : null;
    if (p == null) {
      console.print("usage: /status online|invisible");
      return;
    }
    client.setStatus(p).join();
    events.statusChosen(client.userName(), p);
    console.print("you are now " + p.label());
  }

  private void voice(String to, Path file) {
    byte[] clip;
    try {
      clip = Clips.read(file, client.options().maxAudioBytes());
    } catch (IOException e) {
      console.print("error: cannot read " + file + ": " + Clips.problem(e));
      return;
    }
    if (clip.length == 0) {
      console.print("error: cannot send " + file + ": the file is empty");
      return;
    }
    client.sendVoice(to, clip).join();
    console.print("voice clip sent to " + to + " (" + clip.length + " bytes)");
  }

  /** A friend's name as registered, when known; otherwise as typed. */
  private String canonical(String name) {
    return events.friend(name).map(Friend::name).orElse(name);
  }

  private void report(CompletionException e, String target) {
    CliErrors.Failure f = CliErrors.of(e, target);
    if (f == null) {
      throw e;
    }
    lastError = f.cause();
    boolean down = f.cause() instanceof ImpsConnectionException && user != null;
    console.print("error: " + (down ? offlineText(client.state()) : f.message()));
  }
}
