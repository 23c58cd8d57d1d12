package imps.server.dispatch;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an operator reads in the log about connections and logins: one DEBUG line per event (who,
 * from where), and at INFO a summary line per interval, written only when something happened, so
 * that a busy server's log stays readable and an idle one stays quiet. Failed logins and throttling
 * are logged separately, at WARN, in the {@code imps-auth} format (docs/SECURITY.md). Thread-safe.
 */
public final class ActivityLog {
  private static final Logger log = LoggerFactory.getLogger("imps.activity");

  private final AtomicLong open = new AtomicLong();
  private final LongAdder opened = new LongAdder();
  private final LongAdder closed = new LongAdder();
  private final LongAdder logins = new LongAdder();
  private final LongAdder resumes = new LongAdder();
  private final LongAdder signOuts = new LongAdder();

  /** A client connected from {@code address}. */
  public void connected(String address) {
    open.incrementAndGet();
    opened.increment();
    log.debug("connection from {}", address);
  }

  /** A connection ended; {@code user} is who was logged in on it, or {@code null}. */
  public void disconnected(String address, String user) {
    open.decrementAndGet();
    closed.increment();
    if (user == null) {
      log.debug("connection from {} closed", address);
    } else {
      log.debug("connection of {} from {} closed", user, address);
    }
  }

  /** {@code user} logged in from {@code address}, with the password or a session token. */
  public void loggedIn(String user, String address, boolean resumed, String features) {
    (resumed ? resumes : logins).increment();
    log.debug(
        "{} {} from {}{}",
        user,
        resumed ? "resumed its session" : "logged in",
        address,
        features.isEmpty() ? "" : " (" + features + ")");
  }

  /** A logged-in session ended: signed out, or its connection closed. */
  public void loggedOut(String user) {
    signOuts.increment();
    log.debug("{} logged out", user);
  }

  /**
   * Logs the summary of what happened since the last call, at INFO, if anything did; returns the
   * line (or {@code null}). Called by the server's housekeeping every {@code log.summary-interval}.
   */
  public String summarize() {
    long o = opened.sumThenReset();
    long c = closed.sumThenReset();
    long l = logins.sumThenReset();
    long r = resumes.sumThenReset();
    long s = signOuts.sumThenReset();
    if (o == 0 && c == 0 && l == 0 && r == 0 && s == 0) {
      return null;
    }
    String line =
        String.format(
            "activity: %d connections open (+%d -%d); %d logins, %d resumed, %d logged out",
            open.get(), o, c, l, r, s);
    log.info(line);
    return line;
  }
}
