package imps.server.admin;

import imps.protocol.Feature;
import imps.protocol.Presence;
import imps.protocol.message.Notice;
import imps.server.account.AccountService;
import imps.server.account.NameRules;
import imps.server.account.SessionTokens;
import imps.server.cluster.SessionRouter;
import imps.server.dispatch.AccountDeletion;
import imps.server.store.AdminStore;
import imps.server.store.UserRecord;
import imps.server.transport.LiveSessions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * The one registry of admin commands. Both faces run them from here: the HTTP API on the admin port
 * ({@link AdminApi}, {@code POST /api/users/add}) and the command line ({@code ./imps admin users
 * add name=bob password=...}, which calls that API). A command takes named text arguments and
 * returns a JSON-ready value (maps, lists, strings, numbers, booleans).
 *
 * <p>A banned account keeps its data; its password hash gets a leading {@code !} (as a locked
 * account in /etc/shadow), which no password matches, its session tokens are revoked and its
 * session closed. Unbanning removes the mark, so the old password works again.
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
      IntSupplier connections,
      String node,
      Operations operations) {}

  private static final String BANNED = "!";

  private final Deps deps;
  private final AddressBanCommands bans;
  private final SessionCommands sessions;
  private final Map<String, Command> commands = new LinkedHashMap<>();

  public AdminCommands(Deps deps) {
    this.deps = deps;
    this.bans = new AddressBanCommands(deps.store(), () -> deps.operations().applyAddressBans());
    this.sessions = new SessionCommands(deps.sessions(), deps.router(), deps.node(), this::user);
    add("stats", "counts of users, sessions and messages", false, List.of(), a -> stats());
    add(
        "users list",
        "accounts in name order, optionally those whose name starts with q",
        false,
        List.of(opt("q", "name prefix, any case"), opt("limit", "at most this many (100)")),
        this::listUsers);
    add("users show", "one account", false, List.of(req("name", "user name")), this::showUser);
    add(
        "users add",
        "creates an account (no registration limits)",
        true,
        List.of(
            req("name", "user name"),
            req("password", "6 to 128 characters"),
            opt("email", "e-mail address")),
        this::addUser);
    add(
        "users set-password",
        "replaces a password; the user's session tokens are revoked",
        true,
        List.of(req("name", "user name"), req("password", "6 to 128 characters")),
        this::setPassword);
    add(
        "users ban",
        "locks an account: no login, tokens revoked, session closed",
        true,
        List.of(req("name", "user name")),
        a -> ban(a, true));
    add(
        "users unban",
        "unlocks an account; its password works again",
        true,
        List.of(req("name", "user name")),
        a -> ban(a, false));
    add(
        "users delete",
        "deletes an account and everything stored of it; friends told, session closed",
        true,
        List.of(req("name", "user name")),
        this::deleteUser);
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

  private static int integer(String name, String text) {
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + ": expected a whole number, got " + text);
    }
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

  private Map<String, Object> stats() {
    AdminStore.Counts counts = deps.store().counts();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("node", deps.node());
    out.put("users", counts.users());
    out.put("online", deps.sessions().list().size());
    out.put("connections", deps.connections().getAsInt());
    out.put("messages", counts.messages());
    out.put("clips", counts.clips());
    out.put("undelivered", counts.undelivered());
    return out;
  }

  private List<Map<String, Object>> listUsers(Map<String, String> a) {
    int limit = a.containsKey("limit") ? integer("limit", a.get("limit")) : 100;
    if (limit < 1 || limit > 10_000) {
      throw new IllegalArgumentException("limit must be 1..10000");
    }
    String q = a.getOrDefault("q", "");
    String prefix = q.isEmpty() ? "" : NameRules.key(q);
    List<Map<String, Object>> out = new ArrayList<>();
    for (UserRecord u : deps.store().listUsers(prefix, limit)) {
      out.add(summary(u));
    }
    return out;
  }

  private Map<String, Object> summary(UserRecord u) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", u.id());
    m.put("name", u.name());
    m.put("banned", u.passwordHash().startsWith(BANNED));
    return m;
  }

  private UserRecord user(Map<String, String> a) {
    String name = a.get("name");
    return deps.accounts()
        .find(name)
        .orElseThrow(() -> new NotFoundException("no user named " + name));
  }

  private Map<String, Object> showUser(Map<String, String> a) {
    UserRecord u = user(a);
    Map<String, Object> m = summary(u);
    m.put("email", u.email());
    m.put("gender", u.gender().name().toLowerCase(java.util.Locale.ROOT));
    m.put("status", u.statusPreference().name().toLowerCase(java.util.Locale.ROOT));
    m.put("online", deps.sessions().list().stream().anyMatch(s -> s.user().equals(u.name())));
    m.put("location", u.sharedLocation());
    m.put("locationTime", u.sharedTime());
    return m;
  }

  private Map<String, Object> addUser(Map<String, String> a) {
    Optional<UserRecord> created =
        deps.accounts()
            .create(a.get("name"), a.get("password"), a.getOrDefault("email", ""))
            .join();
    if (created.isEmpty()) {
      throw new IllegalArgumentException("the name " + a.get("name") + " is taken");
    }
    return summary(created.get());
  }

  private Map<String, Object> setPassword(Map<String, String> a) {
    UserRecord u = user(a);
    String hash = deps.accounts().hashNewPassword(a.get("password")).join();
    boolean banned = u.passwordHash().startsWith(BANNED);
    deps.store().setPasswordHash(u.id(), banned ? BANNED + hash : hash);
    deps.accounts().forgetVerifiedPassword(u.id());
    deps.tokens().revokeAll(u.id());
    return summary(deps.accounts().findById(u.id()).orElseThrow());
  }

  private Map<String, Object> ban(Map<String, String> a, boolean ban) {
    UserRecord u = user(a);
    String hash = u.passwordHash();
    boolean banned = hash.startsWith(BANNED);
    if (ban && !banned) {
      deps.store().setPasswordHash(u.id(), BANNED + hash);
    } else if (!ban && banned) {
      deps.store().setPasswordHash(u.id(), hash.substring(BANNED.length()));
    }
    int kicked = 0;
    if (ban) {
      deps.accounts().forgetVerifiedPassword(u.id());
      deps.tokens().revokeAll(u.id());
      kicked = sessions.close(u);
    }
    Map<String, Object> m = summary(deps.accounts().findById(u.id()).orElseThrow());
    m.put("kicked", kicked);
    return m;
  }

  private Map<String, Object> deleteUser(Map<String, String> a) {
    UserRecord u = user(a);
    boolean seenOnline = deps.router().visibleStatus(u.id()) == Presence.ONLINE;
    AccountDeletion.Deleted d =
        deps.deletion()
            .delete(u, "admin", seenOnline)
            .orElseThrow(() -> new NotFoundException("no user named " + a.get("name")));
    // Deleted first, so that no new login can slip in between; the sessions sign out as usual
    // (with no friends left to tell).
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", u.id());
    m.put("name", u.name());
    m.put("friendsTold", d.friendsTold());
    m.put("kicked", sessions.close(u));
    return m;
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
