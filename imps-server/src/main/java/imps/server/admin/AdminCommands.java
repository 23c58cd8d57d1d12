package imps.server.admin;

import imps.protocol.Feature;
import imps.protocol.message.Notice;
import imps.server.account.AccountService;
import imps.server.account.SessionTokens;
import imps.server.cluster.NodeFigures;
import imps.server.cluster.SessionRouter;
import imps.server.dispatch.AccountDeletion;
import imps.server.store.AdminStore;
import imps.server.transport.LiveSessions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The one registry of admin commands. Both faces run them from here: the HTTP API on the admin port
 * ({@link AdminApi}, {@code POST /api/users/add}) and the command line ({@code ./imps admin users
 * add name=bob password=...}, which calls that API). A command takes named text arguments and
 * returns a JSON-ready value (maps, lists, strings, numbers, booleans).
 *
 * <p>The commands live in their own classes: {@link UserCommands}, {@link SessionCommands}, {@link
 * AddressBanCommands}, {@link StatsCommand}; drain, reload and backup here.
 *
 * <p>Kicks, bans and deletions close the user's session on whichever node it is: this node's
 * connections directly, another node's through the {@link SessionRouter} ({@link SessionCommands}).
 */
public final class AdminCommands {

  /** An argument of a command. */
  public record Param(String name, boolean required, String help) {}

  /** What a command does. */
  @FunctionalInterface
  public interface Handler {
    Object run(Map<String, String> args) throws Exception;
  }

  /**
   * A command: its name ("users add"), a one-line summary, whether it changes anything (such
   * commands need POST), its arguments and what it runs.
   */
  public record Command(
      String name, String summary, boolean changes, List<Param> params, Handler handler) {}

  /** A user, session or file the command names does not exist (HTTP 404). */
  public static final class NotFoundException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NotFoundException(String message) {
      super(message);
    }
  }

  /** What the server does for the drain and reload commands. */
  public interface Operations {
    /**
     * Stops gracefully: not ready, no new connection and no new login at once; after {@code delay}
     * drained, then stopped.
     */
    Map<String, Object> drain(Duration delay);

    /** Reads the configuration again; says what was applied and what needs a restart. */
    Map<String, Object> reload();

    /**
     * Reads the banned address blocks from the store and applies them on this node now (other nodes
     * within their poll); returns how many open connections were closed.
     */
    int applyAddressBans();
  }

  /** Everything the commands work on. */
  public record Deps(
      AdminStore store,
      AccountService accounts,
      AccountDeletion deletion,
      SessionTokens tokens,
      LiveSessions sessions,
      SessionRouter router,
      Supplier<NodeFigures> figures,
      String node,
      Operations operations) {}

  private final Deps deps;
  private final Map<String, Command> commands = new LinkedHashMap<>();

  public AdminCommands(Deps deps) {
    this.deps = deps;
    AddressBanCommands bans =
        new AddressBanCommands(deps.store(), () -> deps.operations().applyAddressBans());
    SessionCommands sessions =
        new SessionCommands(
            deps.sessions(),
            deps.router(),
            deps.node(),
            a -> UserCommands.user(deps.accounts(), a));
    UserCommands users =
        new UserCommands(
            deps.store(), deps.accounts(), deps.deletion(), deps.tokens(), deps.router(), sessions);
    StatsCommand stats = new StatsCommand(deps.store(), deps.router(), deps.figures());
    add(
        "stats",
        "registered users; online users, connections, texts and clips stored and delivered, per"
            + " node and in total; what the store keeps",
        false,
        List.of(),
        a -> stats.run());
    add(
        "users list",
        "accounts in name order, optionally those whose name starts with q",
        false,
        List.of(opt("q", "name prefix, any case"), opt("limit", "at most this many (100)")),
        users::list);
    add("users show", "one account", false, List.of(req("name", "user name")), users::show);
    add(
        "users add",
        "creates an account (no registration limits)",
        true,
        List.of(
            req("name", "user name"),
            req("password", "6 to 128 characters"),
            opt("email", "e-mail address")),
        users::add);
    add(
        "users set-password",
        "replaces a password; the user's session tokens are revoked",
        true,
        List.of(req("name", "user name"), req("password", "6 to 128 characters")),
        users::setPassword);
    add(
        "users ban",
        "locks an account: no login, tokens revoked, session closed",
        true,
        List.of(req("name", "user name")),
        a -> users.ban(a, true));
    add(
        "users unban",
        "unlocks an account; its password works again",
        true,
        List.of(req("name", "user name")),
        a -> users.ban(a, false));
    add(
        "users delete",
        "deletes an account and everything stored of it; friends told, session closed",
        true,
        List.of(req("name", "user name")),
        users::delete);
    add(
        "sessions list",
        "logged-in sessions of every node: user, address, transport, node, since",
        false,
        List.of(),
        a -> sessions.list());
    add(
        "sessions kick",
        "closes a user's connection, on whichever node it is",
        true,
        List.of(req("name", "user name")),
        sessions::kick);
    add(
        "bans list",
        "banned client address blocks, on every node",
        false,
        List.of(),
        a -> bans.list());
    add(
        "bans add",
        "bans a client address or CIDR block: its connections closed, new ones refused",
        true,
        List.of(req("cidr", "an address or block, e.g. 203.0.113.0/24 or 2001:db8::/32")),
        bans::add);
    add(
        "bans remove",
        "lifts the ban of an address or block",
        true,
        List.of(req("cidr", "the address or block as banned")),
        bans::remove);
    add(
        "drain",
        "stops gracefully: not ready and no new login at once; then every connection answered,"
            + " told, closed",
        true,
        List.of(
            opt("delay", "time before closing connections, e.g. 30s (0)"),
            opt("announce", "a notice pushed first to clients that opted into NOTICES")),
        this::drain);
    add(
        "reload",
        "reads the config file again and applies what can change live",
        true,
        List.of(),
        a -> deps.operations().reload());
    add(
        "backup",
        "writes a consistent copy of the SQLite store to a new file",
        true,
        List.of(req("file", "path of the copy on the server's machine; must not exist")),
        this::backup);
  }

  /** The longest {@code drain --announce} text, in characters. */
  static final int MAX_ANNOUNCEMENT_CHARS = 1000;

  private Map<String, Object> drain(Map<String, String> a) {
    Duration delay = a.containsKey("delay") ? duration(a.get("delay")) : Duration.ZERO;
    String text = a.get("announce");
    if (text != null && (text.isBlank() || text.length() > MAX_ANNOUNCEMENT_CHARS)) {
      throw new IllegalArgumentException(
          "announce: 1 to " + MAX_ANNOUNCEMENT_CHARS + " characters, not blank");
    }
    // Told before the drain starts, so that the notice comes before S_ERROR_RSP(32, 0).
    int announced = text == null ? 0 : deps.sessions().notify(new Notice(text), Feature.NOTICES);
    Map<String, Object> out = new LinkedHashMap<>(deps.operations().drain(delay));
    out.put("announced", announced);
    return out;
  }

  /** {@code 0}, {@code 500ms}, {@code 30s}, {@code 5m} (a bare number is seconds). */
  static Duration duration(String text) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("(\\d{1,9})(ms|s|m)?").matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("expected a time such as 30s or 5m, got " + text);
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofSeconds(n);
    };
  }

  private static Param req(String name, String help) {
    return new Param(name, true, help);
  }

  private static Param opt(String name, String help) {
    return new Param(name, false, help);
  }

  private void add(
      String name, String summary, boolean changes, List<Param> params, Handler handler) {
    commands.put(name, new Command(name, summary, changes, params, handler));
  }

  /** Every command, in the order of the help. */
  public List<Command> all() {
    return List.copyOf(commands.values());
  }

  public Optional<Command> find(String name) {
    return Optional.ofNullable(commands.get(name));
  }

  /**
   * Runs a command after checking its arguments.
   *
   * @throws IllegalArgumentException for a missing, unknown or invalid argument
   * @throws NotFoundException when what it names does not exist
   */
  public Object run(Command c, Map<String, String> args) throws Exception {
    Set<String> known = new java.util.HashSet<>();
    for (Param p : c.params()) {
      known.add(p.name());
      if (p.required() && (args.get(p.name()) == null || args.get(p.name()).isEmpty())) {
        throw new IllegalArgumentException(c.name() + ": missing " + p.name());
      }
    }
    for (String k : args.keySet()) {
      if (!known.contains(k)) {
        throw new IllegalArgumentException(c.name() + ": unknown argument " + k);
      }
    }
    return c.handler().run(args);
  }

  private Map<String, Object> backup(Map<String, String> a) {
    Path file = Path.of(a.get("file"));
    long start = System.nanoTime();
    deps.store().backup(file);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("file", file.toAbsolutePath().toString());
    m.put("bytes", file.toFile().length());
    m.put("millis", (System.nanoTime() - start) / 1_000_000);
    return m;
  }
}
