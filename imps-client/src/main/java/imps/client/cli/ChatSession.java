package imps.client.cli;

import imps.client.AddFriendResult;
import imps.client.ImpsClient;
import imps.client.ImpsClientException;
import imps.client.ImpsListener;
import imps.protocol.Gender;
import imps.protocol.Presence;
import imps.protocol.message.AddFriendResponse;
import imps.protocol.message.AudioPush;
import imps.protocol.message.FriendInfo;
import imps.protocol.message.FriendRequestPush;
import imps.protocol.message.LoginResponse;
import imps.protocol.message.MessagePush;
import imps.protocol.message.StatusNotifyPush;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.Function;

/**
 * The command layer of {@code ./imps chat}, independent of the terminal: {@link #handle(String)}
 * takes one typed line, and everything to show goes to the {@link Console} (in the terminal client,
 * printed above the prompt). Tests drive it with scripted lines.
 *
 * <p>Commands are handled on the caller's thread, one at a time; incoming events arrive on the
 * client's event thread. Shared state (friends, pending requests) is held in concurrent
 * collections.
 */
public final class ChatSession implements AutoCloseable {

  /** Where the session's output goes; must be thread-safe. */
  @FunctionalInterface
  public interface Console {
    void print(String line);
  }

  /** The commands, for {@code /help} and completion. */
  public static final Map<String, String> COMMANDS = commands();

  private final ImpsClient client;
  private final Console console;
  private final Path saveDir;
  private final Map<String, FriendInfo> friends = new java.util.concurrent.ConcurrentHashMap<>();
  private final Set<String> requests = new ConcurrentSkipListSet<>(String.CASE_INSENSITIVE_ORDER);
  private volatile String conversation;
  private volatile ImpsClientException lastError;

  /**
   * @param clientFactory makes the client, given the listener this session provides
   * @param console where output goes
   * @param saveDir where received voice clips are saved
   */
  public ChatSession(
      Function<ImpsListener, ImpsClient> clientFactory, Console console, Path saveDir) {
    this.console = console;
    this.saveDir = saveDir;
    this.client = clientFactory.apply(new Events());
  }

  private static Map<String, String> commands() {
    Map<String, String> m = new java.util.LinkedHashMap<>();
    m.put("/msg", "/msg NAME [TEXT]  send TEXT to NAME; NAME becomes the conversation");
    m.put("/friends", "/friends          list friends with status and location");
    m.put("/add", "/add NAME         ask NAME to be your friend");
    m.put("/accept", "/accept NAME      accept NAME's friend request");
    m.put("/reject", "/reject NAME      reject NAME's friend request");
    m.put("/voice", "/voice NAME FILE  send FILE as a voice clip");
    m.put("/where", "/where NAME       show NAME's status and last location");
    m.put("/status", "/status online|invisible  set your status");
    m.put("/help", "/help             this list");
    m.put("/quit", "/quit             sign out and leave");
    return java.util.Collections.unmodifiableMap(m);
  }

  /** The SDK client (connect and log in through it). */
  public ImpsClient client() {
    return client;
  }

  /** Connects and logs in; prints the outcome. Returns whether logged in. */
  public boolean login(String user, String password) {
    try {
      client.connect().join();
      LoginResponse who = client.login(user, password).join();
      console.print("logged in as " + who.userName() + ". Type /help for commands.");
      refreshFriends();
      return true;
    } catch (CompletionException e) {
      report(e, user);
      return false;
    }
  }

  /** Connects and registers; prints the outcome. Returns whether registered. */
  public boolean register(String user, String password, Gender gender, String email) {
    try {
      client.connect().join();
      if (client.register(user, password, gender, email).join()) {
        console.print("registered " + user);
        return true;
      }
      console.print("the user name " + user + " is already taken");
      return false;
    } catch (CompletionException e) {
      report(e, user);
      return false;
    }
  }

  /** Why the last {@link #login} or {@link #register} failed, or {@code null}. */
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
    return List.copyOf(new TreeMap<>(friends).keySet());
  }

  /** Users whose friend requests are waiting for an answer, for completion. */
  public List<String> pendingRequests() {
    return List.copyOf(requests);
  }

  /**
   * Handles one typed line.
   *
   * @return {@code false} when the session should end
   */
  public boolean handle(String line) {
    String text = line.strip();
    if (text.isEmpty()) {
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
        case "/friends" -> listFriends();
        case "/add" -> {
          if (need(arg1, "/add NAME")) {
            add(arg1);
          }
        }
        case "/accept", "/reject" -> {
          if (need(arg1, cmd + " NAME")) {
            boolean accept = cmd.equals("/accept");
            client.answerFriendRequest(arg1, accept).join();
            requests.remove(arg1);
            console.print((accept ? "accepted " : "rejected ") + arg1 + "'s friend request");
          }
        }
        case "/msg" -> {
          if (need(arg1, "/msg NAME [TEXT]")) {
            conversation = canonical(arg1);
            if (rest != null) {
              send(conversation, rest);
            } else {
              console.print("now talking to " + conversation + "; plain lines are sent to them");
            }
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
        case "/status" -> status(arg1);
        default -> console.print("unknown command " + cmd + " (see /help)");
      }
    } catch (CompletionException e) {
      report(e, arg1);
    }
    return true;
  }

  /** Signs out (if logged in) and closes the connection. */
  @Override
  public void close() {
    if (client.state() == ImpsClient.State.LOGGED_IN) {
      try {
        client.logout().join();
      } catch (CompletionException e) {
        // Leaving anyway; the server notices the closed connection.
      }
    }
    client.close();
  }

  private boolean need(String arg, String usage) {
    if (arg == null) {
      console.print("usage: " + usage);
      return false;
    }
    return true;
  }

  private void send(String to, String text) {
    try {
      client.sendMessage(to, text).join();
    } catch (CompletionException e) {
      report(e, to);
    }
  }

  private void add(String name) {
    AddFriendResult r = client.addFriend(name).join();
    switch (r.outcome()) {
      case SENT -> console.print("friend request sent to " + r.userName());
      case FRIENDS -> {
        friends.put(r.userName(), r.friend());
        console.print("you and " + r.userName() + " are now friends");
      }
      case NO_SUCH_USER -> console.print("there is no user named " + r.userName());
      default -> console.print(r.userName() + " cannot be added (friend limit reached)");
    }
  }

  private void listFriends() {
    List<FriendInfo> list = refreshFriends();
    if (list.isEmpty()) {
      console.print("no friends yet; ask someone with /add NAME");
    }
    list.forEach(f -> console.print(EventFormat.friend(f)));
  }

  private void where(String name) {
    refreshFriends();
    Optional<FriendInfo> f =
        friends.values().stream().filter(x -> x.name().equalsIgnoreCase(name)).findFirst();
    console.print(f.map(EventFormat::friend).orElse(name + " is not your friend"));
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
    console.print("you are now " + p.label());
  }

  private void voice(String to, Path file) {
    byte[] clip;
    try {
      clip = Files.readAllBytes(file);
    } catch (IOException e) {
      console.print("cannot read " + file + ": " + e.getMessage());
      return;
    }
    client.sendVoice(to, clip).join();
    console.print("voice clip sent to " + to + " (" + clip.length + " bytes)");
  }

  private List<FriendInfo> refreshFriends() {
    List<FriendInfo> list = client.friends().join();
    friends.clear();
    list.forEach(f -> friends.put(f.name(), f));
    return list;
  }

  /** A friend's name as registered, when known; otherwise as typed. */
  private String canonical(String name) {
    return friends.keySet().stream().filter(n -> n.equalsIgnoreCase(name)).findFirst().orElse(name);
  }

  private void report(CompletionException e, String target) {
    ImpsClientException ie = ImpsClientException.unwrap(e);
    if (ie == null) {
      throw e;
    }
    lastError = ie;
    console.print("error: " + Messages.describe(ie, target));
  }

  /** Incoming events, printed as they come. */
  private final class Events implements ImpsListener {
    @Override
    public void onMessage(MessagePush m) {
      console.print(EventFormat.message(m));
    }

    @Override
    public void onVoiceClip(AudioPush clip) {
      String saved;
      try {
        saved = EventFormat.saveClip(saveDir, clip).toString();
      } catch (IOException e) {
        saved = null;
      }
      console.print(EventFormat.voice(clip, saved));
    }

    @Override
    public void onPresence(StatusNotifyPush p) {
      friends.computeIfPresent(
          p.userName(), (k, f) -> new FriendInfo(f.name(), p.status(), f.time(), f.location()));
      console.print(EventFormat.presence(p));
    }

    @Override
    public void onFriendRequest(FriendRequestPush r) {
      requests.add(r.friendName());
      console.print(
          EventFormat.friendRequest(r)
              + " (/accept "
              + r.friendName()
              + " or /reject "
              + r.friendName()
              + ")");
    }

    @Override
    public void onFriendRequestOutcome(AddFriendResponse r) {
      if (r.result() == AddFriendResponse.Result.ACCEPTED) {
        friends.put(r.userName(), r.friend());
      }
      console.print(EventFormat.outcome(r));
    }

    @Override
    public void onLoggedInElsewhere() {
      console.print("logged in elsewhere; this session was closed. /quit to leave");
    }

    @Override
    public void onDisconnected(Throwable cause, boolean reconnecting) {
      console.print("connection lost" + (reconnecting ? "; reconnecting..." : ""));
    }

    @Override
    public void onReconnected(LoginResponse login) {
      console.print("reconnected as " + login.userName());
    }

    @Override
    public void onReconnectFailed(Throwable cause) {
      console.print("could not reconnect: " + cause.getMessage() + ". /quit to leave");
    }
  }
}
