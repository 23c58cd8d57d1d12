package imps.server.account;

import imps.server.limit.TokenBucket;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The security log (review finding L3): failed logins, throttle hits and registrations, each one
 * line with the client address, on logger {@code imps.auth}, in a format that stays stable so that
 * fail2ban can match it (docs/SECURITY.md has the filter):
 *
 * <pre>
 * imps-auth: login failed user=NAME addr=ADDRESS
 * imps-auth: login throttled user=NAME addr=ADDRESS limit=address|account
 * imps-auth: registered user=NAME addr=ADDRESS
 * imps-auth: registration throttled addr=ADDRESS limit=address|global
 * imps-auth: suppressed N lines
 * </pre>
 *
 * NAME is a valid user name (letters, digits, {@code _ - .}) or {@code -} for one that is not;
 * ADDRESS is the client address with anything but address characters replaced by {@code ?}, so no
 * client can forge a line. At most {@value #LINES_PER_SECOND} lines a second are written; the lines
 * left out are counted and said in a {@code suppressed} line before the next one (or at the next
 * {@link #flush}).
 */
final class AuthLog {
  static final int LINES_PER_SECOND = 50;
  private static final int MAX_ADDRESS = 64;
  private static final String ADDRESS_PUNCTUATION = ".:%[]/-_";

  private final Logger log;
  private final Clock clock;
  private final TokenBucket lines =
      new TokenBucket(
          TokenBucket.Rate.of(LINES_PER_SECOND, Duration.ofSeconds(1)), LINES_PER_SECOND);
  private long suppressed;

  AuthLog(Clock clock) {
    this(LoggerFactory.getLogger("imps.auth"), clock);
  }

  AuthLog(Logger log, Clock clock) {
    this.log = log;
    this.clock = clock;
  }

  void loginFailed(String name, String address) {
    if (log.isWarnEnabled() && admit()) {
      log.warn("imps-auth: login failed user={} addr={}", user(name), addr(address));
    }
  }

  void loginThrottled(String name, String address, LoginThrottle.Limit limit) {
    if (log.isWarnEnabled() && admit()) {
      log.warn(
          "imps-auth: login throttled user={} addr={} limit={}",
          user(name),
          addr(address),
          limit.text());
    }
  }

  void registered(String name, String address) {
    if (log.isInfoEnabled() && admit()) {
      log.info("imps-auth: registered user={} addr={}", user(name), addr(address));
    }
  }

  void passwordChanged(String name, String address) {
    if (log.isInfoEnabled() && admit()) {
      log.info("imps-auth: password changed user={} addr={}", user(name), addr(address));
    }
  }

  void accountDeleted(String name, String address) {
    if (log.isInfoEnabled() && admit()) {
      log.info("imps-auth: account deleted user={} addr={}", user(name), addr(address));
    }
  }

  void registrationThrottled(String address, RegistrationLimiter.Limit limit) {
    if (log.isWarnEnabled() && admit()) {
      log.warn("imps-auth: registration throttled addr={} limit={}", addr(address), limit.text());
    }
  }

  /** Says how many lines were left out, if any (called periodically). */
  void flush() {
    long n;
    synchronized (this) {
      n = suppressed;
      suppressed = 0;
    }
    if (n > 0) {
      log.warn("imps-auth: suppressed {} lines", n);
    }
  }

  /** Whether a line may be written now; first says how many were left out before it. */
  private boolean admit() {
    long n;
    synchronized (this) {
      if (!lines.tryTake(1, clock.millis())) {
        suppressed++;
        return false;
      }
      n = suppressed;
      suppressed = 0;
    }
    if (n > 0) {
      log.warn("imps-auth: suppressed {} lines", n);
    }
    return true;
  }

  private static String user(String name) {
    return name != null && NameRules.isValidName(name) ? name : "-";
  }

  static String addr(String address) {
    if (address == null || address.isEmpty()) {
      return "-";
    }
    StringBuilder b = new StringBuilder(Math.min(address.length(), MAX_ADDRESS));
    for (int i = 0; i < address.length() && i < MAX_ADDRESS; i++) {
      char c = address.charAt(i);
      boolean plain =
          (c >= '0' && c <= '9')
              || (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || ADDRESS_PUNCTUATION.indexOf(c) >= 0;
      b.append(plain ? c : '?');
    }
    return b.toString();
  }
}
