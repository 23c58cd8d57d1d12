package imps.bench;

import java.util.OptionalLong;
import java.util.function.LongSupplier;
import java.util.function.LongUnaryOperator;

/**
 * What a run costs the machine: CPU time of the bench and of the server over the measured phase (in
 * % of one core, from /proc/PID/stat, because both share the machine), and the server's RSS and
 * live heap. The server is the process given by --server-pid or else the one listening on the port;
 * when it cannot be found, only the bench's own figures are reported.
 */
final class RunMeter {
  private static final double MIB = 1048576.0;

  private final long serverPid;
  private final long selfPid;
  private final LongUnaryOperator cpuNanos;
  private final LongSupplier nanoTime;
  private long wall0;
  private long cpuSelf0 = -1;
  private long cpuServer0 = -1;
  private long serverCpuUsed = -1;
  private boolean ended;

  /**
   * @param serverPid the server's pid, or -1 when unknown
   * @param selfPid the bench's own pid
   * @param cpuNanos CPU time (user + system) of a pid in nanoseconds, or -1 when unknown
   * @param nanoTime the wall clock of the CPU window
   */
  RunMeter(long serverPid, long selfPid, LongUnaryOperator cpuNanos, LongSupplier nanoTime) {
    this.serverPid = serverPid;
    this.selfPid = selfPid;
    this.cpuNanos = cpuNanos;
    this.nanoTime = nanoTime;
  }

  /** Records the JVM, OS, cores, and the bench's pid and open-files limit. */
  static void recordEnvironment(Result r) {
    r.env("jvm", System.getProperty("java.vm.name") + " " + Runtime.version());
    r.env("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    r.env("cores", Runtime.getRuntime().availableProcessors());
    r.env("bench_pid", ProcStats.selfPid());
    r.env("bench_max_open_files", ProcStats.maxOpenFiles(ProcStats.selfPid()));
  }

  /**
   * A meter for the server given by {@code givenPid}, or else listening on {@code port}; records
   * the server's pid and open-files limit in the environment, and a note when it is not found.
   */
  static RunMeter forServer(Long givenPid, int port, Result r) {
    long pid = -1;
    if (givenPid != null) {
      pid = givenPid;
    } else {
      OptionalLong found = ProcStats.pidListeningOn(port);
      if (found.isPresent()) {
        pid = found.getAsLong();
      } else {
        r.note(
            "server pid not found from port " + port + "; give --server-pid for its CPU and RSS");
      }
    }
    r.env("server_pid", pid);
    if (pid == ProcStats.selfPid()) {
      r.note("server runs inside the bench process: CPU and RSS figures cover both");
    }
    if (pid > 0) {
      r.env("server_max_open_files", ProcStats.maxOpenFiles(pid));
    }
    return new RunMeter(pid, ProcStats.selfPid(), ProcStats::cpuNanos, System::nanoTime);
  }

  /** The server's pid, or -1 when it is not known. */
  long serverPid() {
    return serverPid;
  }

  boolean knowsServer() {
    return serverPid > 0;
  }

  /** Starts the CPU window (again, when a scenario reaches the start of its measured phase). */
  void markStart() {
    wall0 = nanoTime.getAsLong();
    cpuSelf0 = cpuNanos.applyAsLong(selfPid);
    cpuServer0 = knowsServer() ? cpuNanos.applyAsLong(serverPid) : -1;
    serverCpuUsed = -1;
    ended = false;
  }

  /** Ends the CPU window: {@code bench_cpu_pct} and {@code server_cpu_pct} over it. */
  void markEnd(Result r) {
    ended = true;
    double wall = nanoTime.getAsLong() - wall0;
    long self = cpuNanos.applyAsLong(selfPid);
    if (cpuSelf0 >= 0 && self >= 0 && wall > 0) {
      r.metric("bench_cpu_pct", Metrics.round1((self - cpuSelf0) / wall * 100));
    }
    if (cpuServer0 >= 0) {
      long srv = cpuNanos.applyAsLong(serverPid);
      if (srv >= 0) {
        serverCpuUsed = srv - cpuServer0;
        r.metric("server_cpu_pct", Metrics.round1(serverCpuUsed / wall * 100));
      }
    }
  }

  /**
   * Records {@code server_cpu_us_per_msg}: the server's CPU time over the window that just ended
   * divided by {@code delivered}, when both are known.
   */
  void recordServerCpuPerMessage(Result r, long delivered) {
    if (ended && serverCpuUsed >= 0 && delivered > 0) {
      r.metric("server_cpu_us_per_msg", Metrics.round1(serverCpuUsed / 1000.0 / delivered));
    }
  }

  /** Whether the CPU window was ended since it last started. */
  boolean ended() {
    return ended;
  }

  /** Records {@code server_rss_mib}, the server's RSS now, when it is known. */
  void recordServerRss(Result r) {
    long rss = serverRssBytes();
    if (rss >= 0) {
      r.metric("server_rss_mib", Metrics.round1(rss / MIB));
    }
  }

  /** The server's RSS in bytes, or -1 when unknown. */
  long serverRssBytes() {
    return knowsServer() ? ProcStats.rssBytes(serverPid) : -1;
  }

  /**
   * The server's live heap in bytes after a full collection (jcmd), or -1 when unknown. The
   * collection pauses the server: call it only between measured phases.
   */
  long serverLiveHeapBytes() {
    return knowsServer() ? ProcStats.liveHeapBytes(serverPid) : -1;
  }
}
