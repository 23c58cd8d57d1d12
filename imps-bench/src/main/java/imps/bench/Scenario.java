package imps.bench;

import imps.protocol.ErrorCode;
import imps.protocol.Gender;
import imps.protocol.message.AddFriendRequest;
import imps.protocol.message.AddFriendResponse;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.ImpsMessage;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.LoginResponse;
import imps.protocol.message.RegisterRequest;
import imps.protocol.message.RegisterResponse;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What every scenario shares: options, the client, the server's pid, CPU accounting, user setup
 * (registration, login, friendships) with bounded concurrency, and the end of a run (table, JSON,
 * comparison).
 */
public abstract class Scenario implements Callable<Integer> {
  public static final String PASSWORD = "bench-pass-1";

  /** Options common to all scenarios. */
  public static final class Common {
    @Option(
        names = "--host",
        defaultValue = "127.0.0.1",
        description = "Server address; loopback only (default ${DEFAULT-VALUE}).")
    String host;

    @Option(
        names = "--port",
        defaultValue = "7600",
        description = "Server port (default ${DEFAULT-VALUE}).")
    int port;

    @Option(
        names = "--out",
        paramLabel = "FILE",
        description = "JSON result file (default bench-results/SCENARIO-TIMESTAMP.json).")
    Path out;

    @Option(
        names = "--compare",
        paramLabel = "OLD.json",
        description = "Compare the metrics with an earlier result file.")
    Path compare;

    @Option(
        names = "--server-pid",
        paramLabel = "PID",
        description =
            "The server's pid, for its CPU and RSS (default: found from the listening port).")
    Long serverPid;

    @Option(
        names = "--user-prefix",
        paramLabel = "P",
        description =
            "Prefix of the user names (default: a fresh random run id; with --reuse-users a fixed one per scenario).")
    String userPrefix;

    @Option(
        names = "--reuse-users",
        description =
            "Use fixed user names, so that users (and friendships) registered by an earlier run are reused instead of paying for new password hashes.")
    boolean reuseUsers;

    @Option(
        names = "--setup-concurrency",
        defaultValue = "16",
        description =
            "Connections registering users (each hash is slow by design), and the bound for logins and friend requests in setup / 8 (default ${DEFAULT-VALUE}).")
    int setupConcurrency;

    @Option(
        names = "--io-threads",
        defaultValue = "2",
        description = "Client event loop threads (default ${DEFAULT-VALUE}).")
    int ioThreads;

    @Option(
        names = "--timeout",
        defaultValue = "600",
        paramLabel = "SECONDS",
        description = "Bound on each setup phase (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--no-progress", description = "No live progress line even on a terminal.")
    boolean noProgress;

    @Option(
        names = "--quiet",
        description = "Do not print the table (the JSON file is still written).")
    boolean quiet;
  }

  @Mixin protected Common common = new Common();

  protected PrintStream out = System.out;
  protected BenchClient client;
  protected Progress progress;
  protected long serverPid = -1;
  private long cpuSelf0 = -1;
  private long cpuServer0 = -1;
  private long wall0;
  private Result lastResult;

  /** The scenario's name, as on the command line. */
  protected abstract String name();

  /** The fixed prefix of user names with --reuse-users. */
  protected abstract String reusePrefix();

  /** Sets up and measures, filling in {@code r}. */
  protected abstract void run(Result r) throws Exception;

  /** How many loopback source addresses the client spreads connections over. */
  protected int sourceAddresses() {
    return 0;
  }

  public Result lastResult() {
    return lastResult;
  }

  @Override
  public Integer call() throws Exception {
    Result r = new Result(name());
    environment(r);
    try (Progress p = new Progress(!common.noProgress && Progress.stdoutIsTerminal(), out);
        BenchClient c =
            new BenchClient(common.host, common.port, common.ioThreads, sourceAddresses())) {
      this.progress = p;
      this.client = c;
      serverPid = findServerPid(r);
      r.setting("host", common.host).setting("port", common.port);
      r.setting("user_prefix", prefix());
      markStart();
      run(r);
      if (cpuSelf0 >= 0 && !r.metrics().containsKey("bench_cpu_pct")) {
        markEnd(r);
      }
      serverMemory(r);
    } catch (IllegalArgumentException e) {
      out.println("bench: " + e.getMessage());
      return 2;
    } catch (SetupException e) {
      r.note("setup failed: " + e.getMessage());
      finish(r);
      return 3;
    }
    finish(r);
    return 0;
  }

  private void finish(Result r) throws Exception {
    lastResult = r;
    Path file = common.out;
    if (file == null) {
      String ts = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
      file = Path.of("bench-results", name() + "-" + ts + ".json");
    }
    r.write(file);
    if (!common.quiet) {
      r.print(out);
      out.println("result: " + file.toAbsolutePath());
    }
    if (common.compare != null) {
      if (!Files.isReadable(common.compare)) {
        out.println("compare: cannot read " + common.compare);
      } else {
        out.println("compared with " + common.compare + ":");
        out.print(JsonCompare.table(JsonCompare.compare(common.compare, r)));
      }
    }
  }

  private void environment(Result r) {
    r.env("jvm", System.getProperty("java.vm.name") + " " + Runtime.version());
    r.env("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    r.env("cores", Runtime.getRuntime().availableProcessors());
    r.env("bench_pid", ProcStats.selfPid());
    r.env("bench_max_open_files", ProcStats.maxOpenFiles(ProcStats.selfPid()));
  }

  private long findServerPid(Result r) {
    long pid = -1;
    if (common.serverPid != null) {
      pid = common.serverPid;
    } else {
      OptionalLong found = ProcStats.pidListeningOn(common.port);
      if (found.isPresent()) {
        pid = found.getAsLong();
      } else {
        r.note(
            "server pid not found from port "
                + common.port
                + "; give --server-pid for its CPU and RSS");
      }
    }
    r.env("server_pid", pid);
    if (pid == ProcStats.selfPid()) {
      r.note("server runs inside the bench process: CPU and RSS figures cover both");
    }
    if (pid > 0) {
      r.env("server_max_open_files", ProcStats.maxOpenFiles(pid));
    }
    return pid;
  }

  /** Starts the CPU window (called again by a scenario at the start of its measured phase). */
  protected void markStart() {
    wall0 = System.nanoTime();
    cpuSelf0 = ProcStats.cpuNanos(ProcStats.selfPid());
    cpuServer0 = serverPid > 0 ? ProcStats.cpuNanos(serverPid) : -1;
  }

  /** Ends the CPU window: CPU use in % of one core, bench and server, over the measured phase. */
  protected void markEnd(Result r) {
    double wall = System.nanoTime() - wall0;
    long self = ProcStats.cpuNanos(ProcStats.selfPid());
    if (cpuSelf0 >= 0 && self >= 0 && wall > 0) {
      r.metric("bench_cpu_pct", round1((self - cpuSelf0) / wall * 100));
    }
    if (cpuServer0 >= 0) {
      long srv = ProcStats.cpuNanos(serverPid);
      if (srv >= 0) {
        r.metric("server_cpu_pct", round1((srv - cpuServer0) / wall * 100));
      }
    }
  }

  /** Server RSS (and heap, via jcmd) at the end. */
  protected void serverMemory(Result r) {
    if (serverPid <= 0) {
      return;
    }
    long rss = ProcStats.rssBytes(serverPid);
    if (rss >= 0) {
      r.metric("server_rss_mib", round1(rss / 1048576.0));
    }
  }

  static double round1(double v) {
    return Math.round(v * 10) / 10.0;
  }

  static double round3(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  // ---- user names and setup ----

  private String prefix;

  /** The user-name prefix of this run. */
  protected String prefix() {
    if (prefix == null) {
      if (common.userPrefix != null) {
        prefix = common.userPrefix;
      } else if (common.reuseUsers) {
        prefix = reusePrefix();
      } else {
        prefix = Names.runId() + "_";
      }
      if (!Names.fits(prefix, 6)) {
        throw new IllegalArgumentException(
            "user prefix '" + prefix + "' is too long or has characters a name cannot have");
      }
    }
    return prefix;
  }

  protected String userName(int i) {
    return prefix() + i;
  }

  /** Thrown when setting up users fails: the scenario cannot run. */
  public static final class SetupException extends Exception {
    public SetupException(String message) {
      super(message);
    }
  }

  private static final Conn.Listener IGNORE =
      new Conn.Listener() {
        @Override
        public void onPush(Conn conn, ImpsMessage push) {}
      };

  /** Registers users 0..n-1 (names taken already count as done, for --reuse-users). */
  protected void register(
      Result r, String phaseName, int n, java.util.function.IntFunction<String> names)
      throws Exception {
    int k = Math.max(1, Math.min(common.setupConcurrency, n));
    List<Conn> conns = new ArrayList<>();
    AtomicLong created = new AtomicLong();
    // Registering connections log in as their first user, or the server's login timeout (30 s)
    // would close them during a long registration.
    for (int i = 0; i < k; i++) {
      conns.add(new Conn(i, names.apply(i), IGNORE));
    }
    Bounded.Outcome first =
        Bounded.run(
            k,
            k,
            Duration.ofSeconds(common.timeoutSeconds),
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
    Bounded.Outcome o = b.await(k * 2, Duration.ofSeconds(common.timeoutSeconds));
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
      r.metric("setup_register_per_s", round1(created.get() / o.seconds()));
    }
  }

  private static String hint(Throwable e) {
    return e != null && String.valueOf(e.getMessage()).contains("S_ERROR_RSP(10")
        ? ". The server limits registrations per address: start it with"
            + " --set register.per-address=1000000 for benchmarks"
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
              throw new IllegalStateException("register " + name + ": " + describe(reply));
            });
  }

  /** Logs a connected Conn in; fails unless the reply is S_LOGIN_RSP. */
  protected static CompletableFuture<Conn> login(Conn c) {
    return c.request(new LoginRequest(c.user, PASSWORD))
        .thenApply(
            reply -> {
              if (reply instanceof LoginResponse) {
                return c;
              }
              throw new IllegalStateException("login " + c.user + ": " + describe(reply));
            });
  }

  /** Connects and logs in conns, bounded; throws SetupException when any fails. */
  protected Bounded.Outcome connectAndLogin(String phaseName, List<Conn> conns, int inflight)
      throws SetupException {
    Bounded b =
        Bounded.start(conns.size(), i -> client.connect(conns.get(i)).thenCompose(Scenario::login));
    progress.phase(phaseName, b::doneSoFar, b::failedSoFar);
    Bounded.Outcome o = b.await(inflight, Duration.ofSeconds(common.timeoutSeconds));
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

  /** Makes a and b friends (idempotent: already friends is fine). */
  protected static CompletableFuture<Void> befriend(Conn a, Conn b) {
    return a.request(new AddFriendRequest(a.user, b.user), b.user)
        .thenCompose(
            r -> {
              if (r instanceof AddFriendResponse x
                  && x.result() == AddFriendResponse.Result.ACCEPTED) {
                return CompletableFuture.completedFuture(null);
              }
              if (r instanceof ErrorResponse e && e.code() == ErrorCode.SUCCESS) {
                return b.request(new AddFriendRequest(b.user, a.user), a.user)
                    .thenApply(
                        r2 -> {
                          if (r2 instanceof AddFriendResponse y
                              && y.result() == AddFriendResponse.Result.ACCEPTED) {
                            return null;
                          }
                          throw new IllegalStateException(
                              "befriend " + b.user + " -> " + a.user + ": " + describe(r2));
                        });
              }
              throw new IllegalStateException(
                  "befriend " + a.user + " -> " + b.user + ": " + describe(r));
            });
  }

  /** Makes the given pairs friends, bounded. */
  protected void befriendAll(String phaseName, List<Conn[]> pairs) throws SetupException {
    Bounded b = Bounded.start(pairs.size(), i -> befriend(pairs.get(i)[0], pairs.get(i)[1]));
    progress.phase(phaseName, b::doneSoFar, b::failedSoFar);
    Bounded.Outcome o =
        b.await(
            Math.max(8, common.setupConcurrency * 8), Duration.ofSeconds(common.timeoutSeconds));
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

  static String describe(ImpsMessage m) {
    if (m instanceof ErrorResponse e) {
      return "S_ERROR_RSP(" + e.code().code() + " " + e.code().meaning() + ", cmd " + e.cmd() + ")";
    }
    return String.valueOf(m);
  }

  /** Sleeps, bounded, in small steps until the condition holds; returns whether it did. */
  protected static boolean waitFor(java.util.function.BooleanSupplier cond, Duration max)
      throws InterruptedException {
    long end = System.nanoTime() + max.toNanos();
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > end) {
        return false;
      }
      Thread.sleep(2);
    }
    return true;
  }

  static String randomPassword() {
    return "p" + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
  }
}
