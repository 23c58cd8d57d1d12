package imps.client.cli;

import imps.client.ImpsClient;
import imps.client.ImpsClientException;
import imps.client.ImpsConnectionException;
import imps.client.ImpsListener;
import imps.protocol.Gender;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
  private final UnreadView unread;
  private final TrackView tracks;
  private final FriendCommands friends;
  private final TextSending sending;
  private final AccountCommands account;
  private volatile Conversation
      conversation; // set once, last in the constructor (friends needs it)
  private volatile ImpsClientException lastError;
  private volatile String user;
  private volatile String password;
  private volatile Function<String, String> secrets; // for /passwd, without echo
  private volatile Function<String, String> lines; // for /delete-account's confirmation

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
    this.unread = new UnreadView(client, console::print);
    this.tracks = new TrackView(client, console::print, Clock.systemDefaultZone());
    events.meWith(location::me);
    this.friends =
        new FriendCommands(
            client,
            events,
            console,
            location::me,
            name -> this.conversation.ends(name),
            unread::count);
    this.sending =
        new TextSending(client, events, console, this::offline, this::report, friends::canonical);
    this.account = new AccountCommands(client, events, console, next -> password = next);
    this.conversation =
        new Conversation(client, events, sending, unread, friends::canonical, console::print);
  }

  /**
   * Where {@code /passwd} reads passwords: {@code prompt -> answer}, without echo. Unset, the
   * command is refused.
   */
  public void secretsFrom(Function<String, String> secrets) {
    this.secrets = secrets;
  }

  /**
   * Where {@code /passwd} and {@code /delete-account} ask: {@code lines} for answers shown as
   * typed, {@code secrets} without echo. Unset, both commands are refused.
   */
  public void promptsFrom(Function<String, String> lines, Function<String, String> secrets) {
    this.lines = lines;
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
      location.learnLastShared();
      greetUnread();
      return true;
    } catch (CompletionException e) {
      report(e, user);
      return false;
    }
  }

  /**
   * Shows the unread counts after login. The backlog came before the friend list's reply and each
   * message shown was marked read then, so those read marks precede this request: only what reached
   * another client unread is counted. Counts are a courtesy: a failure does not fail the login.
   */
  private void greetUnread() {
    try {
      unread.greet();
    } catch (CompletionException e) {
      // The next /friends asks again.
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
    String c = conversation.current();
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
      String to = conversation.current();
      if (to == null) {
        console.print("no conversation yet: start one with /msg NAME TEXT (see /help)");
      } else if (sending.send(to, text)) {
        unread.markRead(to);
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
        case "/delete-account" -> {
          if (!offline() && account.deleteAccount(lines, secrets)) {
            return false; // the account is gone, and with it the connection
          }
        }
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
      case "/friends" -> {
        unread.refresh();
        friends.list();
      }
      case "/add" -> {
        if (need(arg1, "/add NAME")) {
          friends.add(arg1);
        }
      }
      case "/accept", "/reject" -> {
        if (need(arg1, cmd + " NAME")) {
          console.print(OneShotCommands.Answer.answer(client, events, arg1, cmd.equals("/accept")));
        }
      }
      case "/msg" -> {
        if (need(arg1, "/msg NAME [TEXT]")) {
          conversation.msg(friends.canonical(arg1), rest);
        }
      }
      case "/voice" -> {
        if (need(arg1, "/voice NAME FILE") && need(rest, "/voice NAME FILE")) {
          sending.voice(arg1, Path.of(rest));
        }
      }
      case "/where" -> {
        if (need(arg1, "/where NAME")) {
          friends.where(arg1);
        }
      }
      case "/share" -> {
        if (need(arg1, "/share LAT,LON")) {
          location.share(arg1 + (rest == null ? "" : rest));
        }
      }
      case "/status" -> account.status(arg1);
      case "/unfriend" -> {
        if (need(arg1, "/unfriend NAME")) {
          friends.unfriend(arg1);
        }
      }
      case "/block", "/unblock" -> {
        if (need(arg1, cmd + " NAME")) {
          friends.block(arg1, cmd.equals("/block"));
        }
      }
      case "/blocked" -> friends.blocked();
      case "/passwd" -> account.passwd(secrets);
      case "/live" -> account.live(arg1);
      case "/history" -> {
        String name = arg1 != null ? arg1 : conversation.current();
        if (need(name, "/history NAME [N]")) {
          if (history.show(friends.canonical(name), rest)) {
            unread.markRead(friends.canonical(name));
          }
        }
      }
      case "/track" -> {
        if (need(arg1, "/track NAME FROM TO [FILE]")) {
          tracks.show(friends.canonical(arg1), rest);
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
