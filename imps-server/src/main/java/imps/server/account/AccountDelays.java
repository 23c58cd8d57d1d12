package imps.server.account;

import imps.server.limit.BoundedState;
import imps.server.limit.StateBytes;
import java.time.Clock;
import java.util.Objects;

/**
 * The per-account soft limit of the {@link LoginThrottle}: each account's failures, attempts under
 * way and the delay before its next attempt, and per account and address whether that address has
 * tried the account without succeeding since (only such addresses are delayed). Not thread-safe:
 * the throttle calls it holding its one lock, so that these counts and its queues change together.
 * Bounded in time and bytes ({@link BoundedState}): an account's failures are forgotten {@code
 * window} after its last failure or delay ended, an address's tries {@code window + maxDelay} after
 * its last. Past the budget the entries that end soonest go first, so an account with a long delay
 * ahead, the one being guessed at, goes last; a flood of names tried once each evicts its own kind.
 * An evicted account or pair only errs towards letting an attempt through: an account starts over
 * with its free failures, an address gets the one try a fresh address gets anyway.
 */
final class AccountDelays {

  /** What the soft limit says of an attempt. */
  enum Verdict {
    /** Let through, and counted as under way. */
    GO,
    /** Wait for the account's attempts under way to settle. */
    WAIT,
    /** Refused: the account's delay has not ended. */
    REFUSE
  }

  /** What an account's recent attempts left: failures, attempts under way, when the next may go. */
  private record Account(int failures, int inFlight, long lastFailure, long nextAt) {
    static final Account NONE = new Account(0, 0, Long.MIN_VALUE, Long.MIN_VALUE);

    Account withInFlight(int n) {
      return new Account(failures, Math.max(0, n), lastFailure, nextAt);
    }
  }

  // Heap of a value: a Kept record (header, reference, long: 32) with an Account (header, two ints,
  // two longs: 40), or with a boxed Integer (16).
  private static final int ACCOUNT_BYTES = 72;
  private static final int INTEGER_BYTES = 48;

  /** A value with the time it stops mattering, in nanoseconds of the clock (millis x 10^6). */
  private record Kept<V>(V value, long expiresAt) {}

  private final LoginThrottle.Settings settings;
  private final Clock clock;
  private final BoundedState<String, Kept<Account>> accounts;
  // Per account and address: attempts under way plus failures not yet cleared by a success. An
  // address with an entry has been trying this account, so the account's delay applies to it.
  private final BoundedState<String, Kept<Integer>> tried;

  AccountDelays(LoginThrottle.Settings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.accounts =
        new BoundedState<>(
            settings.maxBytes(),
            (name, a) -> entryBytes(name, ACCOUNT_BYTES),
            Kept::expiresAt,
            this::nowNanos);
    this.tried =
        new BoundedState<>(
            settings.maxBytes(),
            (pair, n) -> entryBytes(pair, INTEGER_BYTES),
            Kept::expiresAt,
            this::nowNanos);
  }

  private long nowNanos() {
    return clock.millis() * 1_000_000L;
  }

  /** Keeps {@code a} until {@code window} after its last failure or delay, or after now. */
  private void keep(String nameKey, Account a) {
    long end = Math.max(a.lastFailure(), a.nextAt());
    long from = Math.max(end, clock.millis());
    accounts.put(nameKey, new Kept<>(a, (from + settings.window().toMillis()) * 1_000_000L));
  }

  private Account account(String nameKey) {
    Kept<Account> k = accounts.get(nameKey);
    return k == null ? null : k.value();
  }

  private Integer tries(String pair) {
    Kept<Integer> k = tried.get(pair);
    return k == null ? null : k.value();
  }

  private void keepTries(String pair, int n) {
    long until = clock.millis() + settings.window().plus(settings.maxDelay()).toMillis();
    tried.put(pair, new Kept<>(n, until * 1_000_000L));
  }

  private static int entryBytes(String key, int valueBytes) {
    return StateBytes.ENTRY_OVERHEAD + StateBytes.key(key) + valueBytes;
  }

  private static String pair(String nameKey, String addressKey) {
    return nameKey + '\u0000' + addressKey;
  }

  /** The account's soft limit for an attempt from {@code addressKey}; on GO counted under way. */
  Verdict verdict(String nameKey, String addressKey) {
    String pair = pair(nameKey, addressKey);
    long now = clock.millis();
    Account a = Objects.requireNonNullElse(account(nameKey), Account.NONE);
    Integer tries = tries(pair);
    if (tries != null) {
      // The delay applies only to addresses that have tried this account and not succeeded since.
      if (a.failures() >= settings.freeFailures() && now < a.nextAt()) {
        return Verdict.REFUSE;
      }
      if (a.inFlight() > 0 && a.failures() + a.inFlight() >= settings.freeFailures()) {
        // The free failures left are all held by attempts under way, or the delay is over and one
        // attempt is under way already (one at a time then): wait for them to settle.
        return Verdict.WAIT;
      }
    }
    keepTries(pair, tries == null ? 1 : tries + 1);
    keep(nameKey, a.withInFlight(a.inFlight() + 1));
    return Verdict.GO;
  }

  /** An attempt let through succeeded: no longer under way, and the address cleared. */
  void succeeded(String nameKey, String addressKey) {
    Account a = account(nameKey);
    if (a != null) {
      keep(nameKey, a.withInFlight(a.inFlight() - 1));
    }
    tried.remove(pair(nameKey, addressKey));
  }

  /** An attempt let through failed: one more failure, and past the free ones a longer delay. */
  void failed(String nameKey) {
    long now = clock.millis();
    Account a = Objects.requireNonNullElse(account(nameKey), Account.NONE.withInFlight(1));
    int failures = a.failures() + 1;
    long nextAt = failures >= settings.freeFailures() ? now + delayMillis(failures) : a.nextAt();
    keep(nameKey, new Account(failures, Math.max(0, a.inFlight() - 1), now, nextAt));
  }

  /** An attempt let through was never checked: as if it had not been made. */
  void abandoned(String nameKey, String addressKey) {
    Account a = account(nameKey);
    if (a != null) {
      keep(nameKey, a.withInFlight(a.inFlight() - 1));
      String pair = pair(nameKey, addressKey);
      Integer n = tries(pair);
      if (n != null && n > 1) {
        keepTries(pair, n - 1);
      } else {
        tried.remove(pair);
      }
    }
  }

  /** Heap the two maps take now, as their budgets count it; for tests. */
  long weightedSize() {
    cleanUp();
    return accounts.weightedSize() + tried.weightedSize();
  }

  /** Drops expired state now. */
  void cleanUp() {
    accounts.cleanUp();
    tried.cleanUp();
  }

  private long delayMillis(int failures) {
    int doublings = Math.min(30, failures - settings.freeFailures());
    long d = settings.delay().toMillis() << doublings;
    return Math.min(d < 0 ? Long.MAX_VALUE : d, settings.maxDelay().toMillis());
  }
}
