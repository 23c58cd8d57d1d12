package imps.bench;

import imps.protocol.Feature;
import imps.protocol.Gender;
import imps.protocol.message.AddFriendRequest;
import imps.protocol.message.AddFriendResponse;
import imps.protocol.message.Hello;
import imps.protocol.message.HelloResponse;
import imps.protocol.message.ImpsMessage;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.LoginResponse;
import imps.protocol.message.RegisterRequest;
import imps.protocol.message.RegisterResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * The users of a run: their names ({@code PREFIX + index}), and their registration, login and
 * friendships through the protocol, each phase with bounded concurrency and a time bound. Names
 * already taken count as done, so that --reuse-users reuses the users (and friendships) of an
 * earlier run instead of paying for new password hashes.
 */
final class UserSetup {
  static final String PASSWORD = "bench-pass-1";

  /** Digits an index may add to the prefix (up to 999,999 users). */
  private static final int INDEX_DIGITS = 6;

  private static final Conn.Listener IGNORE = (conn, push) -> {};

  private final String prefix;
  private final int concurrency;
  private final Duration timeout;
  private final BenchClient client;
  private final Progress progress;

  /**
   * @param prefix the user-name prefix, from {@link #choosePrefix}
   * @param concurrency connections that register users; logins and friend requests use {@link
   *     #inflight()}
   * @param timeout the bound on each phase
   */
  UserSetup(
      String prefix, int concurrency, Duration timeout, BenchClient client, Progress progress) {
    this.prefix = prefix;
    this.concurrency = concurrency;
    this.timeout = timeout;
    this.client = client;
    this.progress = progress;
  }

  /**
   * The user-name prefix of a run: {@code explicit} when given, else {@code reusePrefix} with
   * --reuse-users, else a fresh run id and '_'.
   *
   * @throws IllegalArgumentException when the prefix and an index cannot form a valid name
   */
  static String choosePrefix(String explicit, boolean reuseUsers, String reusePrefix) {
    String prefix;
    if (explicit != null) {
      prefix = explicit;
    } else if (reuseUsers) {
      prefix = reusePrefix;
    } else {
      prefix = Names.runId() + "_";
    }
    if (!Names.fits(prefix, INDEX_DIGITS)) {
      throw new IllegalArgumentException(
          "user prefix '" + prefix + "' is too long or has characters a name cannot have");
    }
    return prefix;
  }

  String prefix() {
    return prefix;
  }

  String userName(int i) {
    return prefix + i;
  }

  /** Requests in flight for logins, friend requests and other setup steps. */
  int inflight() {
    return Math.max(8, concurrency * 8);
  }

  /** Registers users {@code userName(0..n-1)}. */
  void register(Result r, String phaseName, int n) throws SetupException {
    register(r, phaseName, n, this::userName);
  }

  /**
   * Registers users {@code names(0..n-1)}; names taken already count as done. Records {@code
   * setup_users_registered}, {@code setup_users_existing} and, when any was new, {@code
   * setup_register_per_s}.
   */
  void register(Result r, String phaseName, int n, IntFunction<String> names)
      throws SetupException {
    int k = Math.max(1, Math.min(concurrency, n));
    List<Conn> conns = new ArrayList<>();
    AtomicLong created = new AtomicLong();
    // Registering connections log in as their first user, or the server's login timeout would
    // close them during a long registration.
    for (int i = 0; i < k; i++) {
      conns.add(new Conn(i, names.apply(i), IGNORE));
    }
    Bounded.Outcome first =
        Bounded.run(
            k,
            k,
            timeout,
            i ->
                client
                    .connect(conns.get(i))
                    .thenCompose(c -> registerOne(c, c.user, created))
                    .thenCompose(reply -> login(conns.get(i))));
    if (first.failed() > 0 || first.timedOut()) {
      conns.forEach(Conn::close);
      throw new SetupException("registering users: " + first + hint(first.first()));
    }
    Bounded b =
        Bounded.start(n - k, i -> registerOne(conns.get(i % k), names.apply(i + k), created));
    progress.phase(phaseName, b::doneSoFar, b::failedSoFar);
    Bounded.Outcome o = b.await(k * 2, timeout);
    conns.forEach(Conn::close);
    r.metric("setup_users_registered", created.get());
    r.metric("setup_users_existing", o.ok() + k - created.get());
    if (o.failed() > 0 || o.timedOut()) {
      throw new SetupException(
          String.format(
              Locale.ROOT,
              "registering %d users: %d failed, timed out %s, first error %s%s",
              n,
              o.failed(),
              o.timedOut(),
              o.first(),
              hint(o.first())));
    }
    if (created.get() > 0) {
      r.metric("setup_register_per_s", Metrics.round1(created.get() / o.seconds()));
    }
  }

  private static String hint(Throwable e) {
    return e != null && String.valueOf(e.getMessage()).contains("S_ERROR_RSP(10")
        ? ". The server limits registrations per address: start it with"
            + " --set register.per-address=1000000 --set register.per-minute=1000000 for"
            + " benchmarks"
        : "";
  }

  private static CompletableFuture<ImpsMessage> registerOne(
      Conn c, String name, AtomicLong created) {
    return c.request(new RegisterRequest(name, PASSWORD, Gender.UNSPECIFIED, "bench@example.org"))
        .thenApply(
            reply -> {
              if (reply instanceof RegisterResponse rr) {
                if (rr.registered()) {
                  created.incrementAndGet();
                }
                return reply;
              }
              throw new IllegalStateException("register " + name + ": " + Replies.describe(reply));
            });
  }

  /**
   * Logs a connected Conn in; fails unless the reply is S_LOGIN_RSP. A Conn that {@link
   * Conn#optedIn() opts in} first says C_HELLO with every extension (pipelined, as the SDK does)
   * and fails unless the server grants acknowledged delivery; one that {@link Conn#askFor asks for}
   * some features says C_HELLO with those and fails unless the server grants them all.
   */
  static CompletableFuture<Conn> login(Conn c) {
    Set<Feature> asked = c.hello();
    CompletableFuture<ImpsMessage> hello =
        asked != null ? c.request(new Hello(1, asked)) : CompletableFuture.completedFuture(null);
    Set<Feature> needed = c.optedIn() ? EnumSet.of(Feature.ACKS) : asked;
    return hello.thenCombine(
        c.request(new LoginRequest(c.user, PASSWORD)),
        (h, reply) -> {
          if (needed != null
              && !(h instanceof HelloResponse r && r.features().containsAll(needed))) {
            throw new IllegalStateException(
                "hello " + c.user + ": " + needed + " not all granted: " + h);
          }
          if (reply instanceof LoginResponse) {
            return c;
          }
          throw new IllegalStateException("login " + c.user + ": " + Replies.describe(reply));
        });
  }

  /** Connects and logs in {@code conns}, {@link #inflight()} at a time. */
  Bounded.Outcome connectAndLogin(String phaseName, List<Conn> conns) throws SetupException {
    return connectAndLogin(phaseName, conns, inflight());
  }

  /** Connects and logs in {@code conns}, bounded; throws SetupException when any fails. */
  Bounded.Outcome connectAndLogin(String phaseName, List<Conn> conns, int inflight)
      throws SetupException {
    Bounded b =
        Bounded.start(
            conns.size(), i -> client.connect(conns.get(i)).thenCompose(UserSetup::login));
    progress.phase(phaseName, b::doneSoFar, b::failedSoFar);
    Bounded.Outcome o = b.await(inflight, timeout);
    if (o.failed() > 0 || o.timedOut()) {
      throw new SetupException(
          String.format(
              Locale.ROOT,
              "logging in %d users: %d failed, timed out %s, first error %s",
              conns.size(),
              o.failed(),
              o.timedOut(),
              o.first()));
    }
    return o;
  }

  /**
   * Makes a and b friends, both logged in (idempotent: already friends is fine). When a's request
   * is answered with a plain success, b's request completes the friendship.
   */
  static CompletableFuture<Void> befriend(Conn a, Conn b) {
    return a.request(new AddFriendRequest(a.user, b.user), b.user)
        .thenCompose(
            r -> {
              if (accepted(r)) {
                return CompletableFuture.completedFuture(null);
              }
              if (Replies.isSuccess(r)) {
                return b.request(new AddFriendRequest(b.user, a.user), a.user)
                    .thenApply(
                        r2 -> {
                          if (accepted(r2)) {
                            return null;
                          }
                          throw new IllegalStateException(
                              "befriend " + b.user + " -> " + a.user + ": " + Replies.describe(r2));
                        });
              }
              throw new IllegalStateException(
                  "befriend " + a.user + " -> " + b.user + ": " + Replies.describe(r));
            });
  }

  private static boolean accepted(ImpsMessage reply) {
    return reply instanceof AddFriendResponse x && x.result() == AddFriendResponse.Result.ACCEPTED;
  }

  /** Makes the given pairs friends, {@link #inflight()} at a time. */
  void befriendAll(String phaseName, List<Conn[]> pairs) throws SetupException {
    Bounded b = Bounded.start(pairs.size(), i -> befriend(pairs.get(i)[0], pairs.get(i)[1]));
    progress.phase(phaseName, b::doneSoFar, b::failedSoFar);
    Bounded.Outcome o = b.await(inflight(), timeout);
    if (o.failed() > 0 || o.timedOut()) {
      throw new SetupException(
          String.format(
              Locale.ROOT,
              "making %d friendships: %d failed, timed out %s, first error %s",
              pairs.size(),
              o.failed(),
              o.timedOut(),
              o.first()));
    }
  }
}
