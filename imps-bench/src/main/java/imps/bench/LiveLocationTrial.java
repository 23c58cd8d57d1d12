package imps.bench;

import imps.protocol.message.HeartbeatRequest;
import imps.protocol.message.HeartbeatResponse;
import imps.protocol.message.LocationFix;
import imps.protocol.message.LocationPush;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * One run of {@code live-locations}: every user sends one fix per interval, the users' heartbeats
 * spread evenly over it (open loop: heartbeat {@code k} is intended at {@code start + k * interval
 * / U}, from user {@code k mod U}, its fix number {@code k / U}); every friend's connection
 * receives the pushes. A fix's number is in its latitude ({@link #location}), so each push says
 * which fix it carries; lateness is its arrival minus that fix's intended send time (so a fix the
 * server held back for coalescing counts with the time it was held). Sends on the calling thread,
 * receives on the event loops.
 */
final class LiveLocationTrial {
  private final Cliques cliques;
  private final Conn[] conns;
  private final String prefix;
  private final int n;
  private final int perUser;
  private final double intervalSeconds;
  private final double liveIntervalSeconds;
  final RatePacer pacer;
  private final int[][] last; // per receiver, per clique slot: the last fix number received
  private final Recorder lateness = new Recorder(3_600_000_000L, 3);
  private final AtomicLong acked = new AtomicLong();
  private final AtomicLong hbErrors = new AtomicLong();
  final AtomicLong received = new AtomicLong();
  private final AtomicLong unexpected = new AtomicLong();
  private final AtomicLong lastFixes = new AtomicLong();
  private volatile long lastReceive;
  private long sent;
  private final Conn.ReplyHandler onAck;

  /**
   * @param perUser fixes each user sends
   * @param liveIntervalSeconds the server's {@code location.live-interval}, for the expected pushes
   */
  LiveLocationTrial(
      Cliques cliques,
      Conn[] conns,
      String prefix,
      int perUser,
      double intervalSeconds,
      double liveIntervalSeconds,
      long startNanos) {
    this.cliques = cliques;
    this.conns = conns;
    this.prefix = prefix;
    this.n = conns.length;
    this.perUser = perUser;
    this.intervalSeconds = intervalSeconds;
    this.liveIntervalSeconds = liveIntervalSeconds;
    this.pacer = new RatePacer(startNanos, n / intervalSeconds, (long) n * perUser);
    this.last = new int[n][cliques.size];
    for (int[] row : last) {
      Arrays.fill(row, -1);
    }
    this.onAck =
        (c, reply, t0) -> {
          if (reply instanceof HeartbeatResponse) {
            acked.incrementAndGet();
          } else {
            hbErrors.incrementAndGet();
          }
        };
  }

  /**
   * Fix {@code j}'s location: its number in millionths of a degree of latitude (the server keeps 6
   * decimals), so that up to 90,000,000 fixes per user are told apart.
   */
  static String location(int j) {
    String frac = Integer.toString(1_000_000 + j % 1_000_000).substring(1);
    return (j / 1_000_000) + "." + frac + ",113.26";
  }

  /** The fix number in a location as the server normalised it, or -1 when it is none. */
  static int fixNumber(String location) {
    int comma = location.indexOf(',');
    if (comma < 1) {
      return -1;
    }
    String lat = location.substring(0, comma);
    int dot = lat.indexOf('.');
    String whole = dot < 0 ? lat : lat.substring(0, dot);
    String frac = dot < 0 ? "" : lat.substring(dot + 1);
    if (whole.isEmpty() || frac.length() > 6 || whole.length() > 2) {
      return -1;
    }
    try {
      int w = Integer.parseInt(whole);
      int f = frac.isEmpty() ? 0 : Integer.parseInt((frac + "000000").substring(0, 6));
      return w < 0 || f < 0 ? -1 : w * 1_000_000 + f;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * The pushes one user's {@code fixes} make, one every {@code interval}, under the server's
   * coalescing ({@code LiveLocations}): a fix is pushed at once when the last push was at least
   * {@code live} ago; otherwise it is held, a later one replaces it, and the held one is pushed
   * when the interval since the last push has passed. With {@code interval >= live} every fix is
   * pushed.
   */
  static long pushesPerSender(int fixes, double interval, double live) {
    double lastSent = Double.NEGATIVE_INFINITY;
    double flushAt = 0;
    boolean held = false;
    long pushes = 0;
    for (int j = 0; j < fixes; j++) {
      double t = j * interval;
      if (held && t >= flushAt) {
        pushes++;
        lastSent = flushAt;
        held = false;
      }
      if (held) {
        continue; // replaces the held fix
      }
      if (t - lastSent >= live) {
        pushes++;
        lastSent = t;
      } else {
        held = true;
        flushAt = lastSent + live;
      }
    }
    return held ? pushes + 1 : pushes;
  }

  /** Sends the heartbeats on schedule; returns when all are sent (or 30 s past the schedule). */
  void send() {
    long total = pacer.total();
    long hardEnd = pacer.endNanos() + 30_000_000_000L;
    long k = 0;
    while (k < total && System.nanoTime() < hardEnd) {
      long due = pacer.dueAt(System.nanoTime());
      String now = Long.toString(System.currentTimeMillis());
      for (; k < due; k++) {
        Conn c = conns[(int) (k % n)];
        LocationFix fix = new LocationFix(now, location((int) (k / n)));
        c.send(new HeartbeatRequest(c.user, List.of(fix)), 0, onAck);
      }
      if (k < total) {
        long wait = pacer.intendedNanos(k) - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
      }
    }
    sent = k;
  }

  /** A push to {@code to}; on its event loop. */
  void pushed(Conn to, LocationPush p) {
    long now = System.nanoTime();
    int from;
    try {
      from = Integer.parseInt(p.friendName().substring(prefix.length()));
    } catch (RuntimeException e) {
      unexpected.incrementAndGet();
      return;
    }
    int j = fixNumber(p.location());
    if (from < 0 || from >= n || from == to.index || !cliques.together(from, to.index)) {
      unexpected.incrementAndGet();
      return;
    }
    if (j < 0 || j >= perUser) {
      unexpected.incrementAndGet();
      return;
    }
    int[] mine = last[to.index];
    synchronized (mine) {
      if (j <= mine[from % cliques.size]) {
        unexpected.incrementAndGet(); // a repeat, or older than one received
        return;
      }
      mine[from % cliques.size] = j;
    }
    lateness.recordValue(Math.max(0, (now - pacer.intendedNanos((long) j * n + from)) / 1000));
    received.incrementAndGet();
    if (j == perUser - 1) {
      lastFixes.incrementAndGet();
    }
    lastReceive = now;
  }

  long errors() {
    return hbErrors.get() + unexpected.get();
  }

  /** Pushes the server's coalescing should make for the fixes sent. */
  long expected() {
    return n * pushesPerSender(perUser, intervalSeconds, liveIntervalSeconds) * cliques.friends();
  }

  /** Every heartbeat answered, and every friend has every user's last fix. */
  boolean settled() {
    return acked.get() + hbErrors.get() >= sent && lastFixes.get() >= (long) n * cliques.friends();
  }

  void report(Result r) {
    Histogram h = lateness.getIntervalHistogram();
    double start = pacer.intendedNanos(0);
    double end = Math.max(pacer.endNanos(), lastReceive);
    long expected = expected();
    r.metric("heartbeats_sent", sent);
    r.metric("heartbeats_acked", acked.get());
    r.metric("heartbeat_errors", hbErrors.get());
    r.metric("fixes_per_s", Metrics.round1(acked.get() / ((pacer.endNanos() - start) / 1e9)));
    r.metric("pushes_expected", expected);
    r.metric("pushes", received.get());
    r.metric("pushes_per_s", Metrics.round1(received.get() / ((end - start) / 1e9)));
    r.metric("lost", Math.max(0, expected - received.get()));
    r.metric("unexpected", unexpected.get());
    r.metric("last_fix_missing", (long) n * cliques.friends() - lastFixes.get());
    r.metric("push_late_p50_ms", Metrics.ms(h, 50));
    r.metric("push_late_p90_ms", Metrics.ms(h, 90));
    r.metric("push_late_p99_ms", Metrics.ms(h, 99));
    r.metric("push_late_max_ms", Metrics.maxMs(h));
  }
}
