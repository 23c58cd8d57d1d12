package imps.server.account;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import imps.server.limit.KeyedLimiter;
import java.time.Clock;
import java.util.Objects;

/**
 * The per-account soft limit of the {@link LoginThrottle}: each account's failures, attempts under
 * way and the delay before its next attempt, and per account and address whether that address has
 * tried the account without succeeding since (only such addresses are delayed). Not thread-safe:
 * the throttle calls it holding its one lock, so that these counts and its queues change together.
 * Bounded in size and time (Caffeine): an account's failures are forgotten {@code window} after its
 * last delay ended.
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

  private final LoginThrottle.Settings settings;
  private final Clock clock;
  private final Cache<String, Account> accounts;
  // Per account and address: attempts under way plus failures not yet cleared by a success. An
  // address with an entry has been trying this account, so the account's delay applies to it.
  private final Cache<String, Integer> tried;

  AccountDelays(LoginThrottle.Settings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    long forgetAfter = settings.window().toNanos();
    this.accounts =
        Caffeine.newBuilder()
            .maximumSize(settings.maxKeys())
            .expireAfter(
                new Expiry<String, Account>() {
                  @Override
                  public long expireAfterCreate(String key, Account a, long now) {
                    long end = Math.max(a.lastFailure(), a.nextAt());
                    long until = end == Long.MIN_VALUE ? now : end * 1_000_000L;
                    return Math.max(forgetAfter, until + forgetAfter - now);
                  }

                  @Override
                  public long expireAfterUpdate(String key, Account a, long now, long left) {
                    return expireAfterCreate(key, a, now);
                  }

                  @Override
                  public long expireAfterRead(String key, Account a, long now, long left) {
                    return left;
                  }
                })
            .ticker(KeyedLimiter.ticker(clock))
            .executor(Runnable::run)
            .build();
    this.tried =
        Caffeine.newBuilder()
            .maximumSize(settings.maxKeys())
            .expireAfterWrite(settings.window().plus(settings.maxDelay()))
            .ticker(KeyedLimiter.ticker(clock))
            .executor(Runnable::run)
            .build();
  }

  private static String pair(String nameKey, String addressKey) {
    return nameKey + '\u0000' + addressKey;
  }

  /** The account's soft limit for an attempt from {@code addressKey}; on GO counted under way. */
  Verdict verdict(String nameKey, String addressKey) {
    String pair = pair(nameKey, addressKey);
    long now = clock.millis();
    Account a = Objects.requireNonNullElse(accounts.getIfPresent(nameKey), Account.NONE);
    Integer tries = tried.getIfPresent(pair);
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
    tried.put(pair, tries == null ? 1 : tries + 1);
    accounts.put(nameKey, a.withInFlight(a.inFlight() + 1));
    return Verdict.GO;
  }

  /** An attempt let through succeeded: no longer under way, and the address cleared. */
  void succeeded(String nameKey, String addressKey) {
    Account a = accounts.getIfPresent(nameKey);
    if (a != null) {
      accounts.put(nameKey, a.withInFlight(a.inFlight() - 1));
    }
    tried.invalidate(pair(nameKey, addressKey));
  }

  /** An attempt let through failed: one more failure, and past the free ones a longer delay. */
  void failed(String nameKey) {
    long now = clock.millis();
    Account a =
        Objects.requireNonNullElse(accounts.getIfPresent(nameKey), Account.NONE.withInFlight(1));
    int failures = a.failures() + 1;
    long nextAt = failures >= settings.freeFailures() ? now + delayMillis(failures) : a.nextAt();
    accounts.put(nameKey, new Account(failures, Math.max(0, a.inFlight() - 1), now, nextAt));
  }

  /** An attempt let through was never checked: as if it had not been made. */
  void abandoned(String nameKey, String addressKey) {
    Account a = accounts.getIfPresent(nameKey);
    if (a != null) {
      accounts.put(nameKey, a.withInFlight(a.inFlight() - 1));
      tried.asMap().computeIfPresent(pair(nameKey, addressKey), (p, n) -> n > 1 ? n - 1 : null);
    }
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
