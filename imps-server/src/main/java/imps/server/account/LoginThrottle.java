package imps.server.account;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import imps.server.limit.AddressKeys;
import imps.server.limit.KeyedLimiter;
import imps.server.limit.TokenBucket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Throttles password guessing without letting anyone lock a user out (review findings H4, M1).
 *
 * <ul>
 *   <li><b>Per client address, hard</b> (IPv6 by /64): {@code perAddress} failed logins, refilled
 *       over {@code window}; past that every login from the address gets error 10. A successful
 *       login does not count.
 *   <li><b>Per account, soft</b>: after {@code freeFailures} failures the account's attempts are
 *       delayed: one attempt at a time, the next only after a delay that starts at {@code delay}
 *       and doubles with each further failure (up to {@code maxDelay}). Refused attempts get error
 *       10. The delay applies only to addresses that have tried this account and not yet succeeded:
 *       a first try from any other address is always let through, so a correct password from an
 *       address that has not been failing is never refused.
 * </ul>
 *
 * <p>Every attempt is reserved atomically before its slow check ({@link #reserve}) and then settled
 * once ({@link Attempt#succeeded}, {@link Attempt#failed} or {@link Attempt#abandoned}), so
 * concurrent guesses cannot all slip through before the first failure is counted. An account's
 * failures are forgotten {@code window} after its last delay ended. State is per node and in
 * memory, bounded in size and time (Caffeine): a restart or an eviction only errs towards letting a
 * login through.
 */
public final class LoginThrottle {

  /** Which limit refused an attempt. */
  public enum Limit {
    ADDRESS("address"),
    ACCOUNT("account");

    private final String text;

    Limit(String text) {
      this.text = text;
    }

    /** As logged: {@code address} or {@code account}. */
    public String text() {
      return text;
    }
  }

  /**
   * @param freeFailures failures of one account before its attempts are delayed
   * @param delay the first delay
   * @param maxDelay the longest delay
   * @param perAddress failed logins per address per window
   * @param window per-address refill time, and how long an account's failures outlive its delay
   * @param maxKeys accounts, addresses and account-address pairs remembered at most, each
   */
  public record Settings(
      int freeFailures,
      Duration delay,
      Duration maxDelay,
      int perAddress,
      Duration window,
      long maxKeys) {}

  /** What an account's recent attempts left: failures, attempts under way, when the next may go. */
  private record Account(int failures, int inFlight, long lastFailure, long nextAt) {
    static final Account NONE = new Account(0, 0, Long.MIN_VALUE, Long.MIN_VALUE);

    Account withInFlight(int n) {
      return new Account(failures, Math.max(0, n), lastFailure, nextAt);
    }
  }

  private final Settings settings;
  private final Clock clock;
  private final KeyedLimiter<String> addresses;
  private final Cache<String, Account> accounts;
  // Per account and address: attempts under way plus failures not yet cleared by a success. An
  // address with an entry has been trying this account, so the account's delay applies to it.
  private final Cache<String, Integer> tried;
  // Per address with attempts under way: how many, and the attempts waiting for them to settle.
  // Also the lock of the address tries. An entry lives only while it has either, so this holds
  // at most one entry per login under way (a connection has at most one at a time).
  private final Map<String, UnderWay> underWay = new HashMap<>();

  private static final class UnderWay {
    int running;
    final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
  }

  /** A reservation not yet decided. */
  private static final class Waiter {
    final String nameKey;
    final String addressKey;
    final CompletableFuture<Attempt> result = new CompletableFuture<>();

    Waiter(String nameKey, String addressKey) {
      this.nameKey = nameKey;
      this.addressKey = addressKey;
    }
  }

  public LoginThrottle(Settings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.addresses =
        new KeyedLimiter<>(
            TokenBucket.Rate.of(settings.perAddress(), settings.window()),
            settings.perAddress(),
            settings.maxKeys(),
            clock);
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

  /**
   * Reserves a login attempt, before the password is checked; once admitted, the attempt must be
   * settled once. An attempt from an address whose failures left it fewer tries than it has
   * attempts under way waits for one of them to settle (a success gives its try back, a failure
   * uses it up): so no more guesses are checked than the address may fail, and yet a correct
   * password from an address that has not been failing is only ever delayed, never refused.
   *
   * @param nameKey the account's name key, or {@code null} for a name that cannot exist (only the
   *     address limit applies then)
   * @return completes with the attempt, admitted or refused; never fails. It completes at once
   *     unless it waits for attempts under way, and then on the thread that settles one of them.
   */
  public CompletableFuture<Attempt> reserve(String nameKey, String address) {
    String addressKey = AddressKeys.of(address);
    Waiter w = new Waiter(nameKey, addressKey);
    boolean now;
    synchronized (underWay) {
      long left = addresses.available(addressKey);
      if (left <= 0) {
        return CompletableFuture.completedFuture(new Attempt(null, addressKey, Limit.ADDRESS));
      }
      UnderWay u = underWay.computeIfAbsent(addressKey, k -> new UnderWay());
      now = u.running < left;
      if (now) {
        u.running++;
      } else {
        u.waiting.add(w);
      }
    }
    if (now) {
      start(List.of(w), List.of());
    }
    return w.result;
  }

  /** Number of attempts waiting for others from their address to settle; for tests. */
  int waiting() {
    synchronized (underWay) {
      return underWay.values().stream().mapToInt(u -> u.waiting.size()).sum();
    }
  }

  /**
   * Completes {@code admit}, whose address tries are taken, with the account's verdict, and {@code
   * refuse} with the address's refusal. An account's refusal gives the address try back, which may
   * admit further waiters; they are handled here too (a loop, not a recursion).
   */
  private void start(List<Waiter> admit, List<Waiter> refuse) {
    ArrayDeque<Waiter> toAdmit = new ArrayDeque<>(admit);
    List<Waiter> toRefuse = new ArrayList<>(refuse);
    while (!toAdmit.isEmpty() || !toRefuse.isEmpty()) {
      for (Waiter w : toRefuse) {
        w.result.complete(new Attempt(null, w.addressKey, Limit.ADDRESS));
      }
      toRefuse.clear();
      Waiter w = toAdmit.poll();
      if (w == null) {
        continue;
      }
      if (w.nameKey == null || admitAccount(w.nameKey, w.addressKey)) {
        w.result.complete(new Attempt(w.nameKey, w.addressKey, null));
      } else {
        w.result.complete(new Attempt(null, w.addressKey, Limit.ACCOUNT));
        release(w.addressKey, false, toAdmit, toRefuse);
      }
    }
  }

  /**
   * The account's soft limit: true when the attempt may go now (it is then counted as under way).
   */
  private boolean admitAccount(String nameKey, String addressKey) {
    String pair = nameKey + '\u0000' + addressKey;
    long now = clock.millis();
    boolean[] admitted = {false};
    accounts
        .asMap()
        .compute(
            nameKey,
            (k, current) -> {
              Account a = current == null ? Account.NONE : current;
              Integer tries = tried.getIfPresent(pair);
              boolean delayed = a.failures() + a.inFlight() >= settings.freeFailures();
              boolean due =
                  a.failures() >= settings.freeFailures() && a.inFlight() == 0 && now >= a.nextAt();
              if (delayed && tries != null && !due) {
                return current;
              }
              admitted[0] = true;
              tried.put(pair, tries == null ? 1 : tries + 1);
              return a.withInFlight(a.inFlight() + 1);
            });
    return admitted[0];
  }

  /**
   * An attempt from {@code addressKey} is over: a failure uses up one of the address's tries, then
   * waiters are admitted while the address has tries left beyond those under way, or all refused
   * when it has none left.
   */
  private void release(
      String addressKey, boolean failed, Collection<Waiter> admit, Collection<Waiter> refuse) {
    synchronized (underWay) {
      if (failed) {
        addresses.tryTake(addressKey);
      }
      UnderWay u = underWay.get(addressKey);
      if (u == null) {
        return;
      }
      u.running--;
      long left = addresses.available(addressKey);
      if (left <= 0) {
        refuse.addAll(u.waiting);
        u.waiting.clear();
      }
      while (u.running < left && !u.waiting.isEmpty()) {
        u.running++;
        admit.add(u.waiting.poll());
      }
      if (u.running <= 0 && u.waiting.isEmpty()) {
        underWay.remove(addressKey);
      }
    }
  }

  private void release(String addressKey, boolean failed) {
    List<Waiter> admit = new ArrayList<>();
    List<Waiter> refuse = new ArrayList<>();
    release(addressKey, failed, admit, refuse);
    if (!admit.isEmpty() || !refuse.isEmpty()) {
      start(admit, refuse);
    }
  }

  /** Drops expired state now rather than at some later use (called periodically). */
  public void cleanUp() {
    addresses.cleanUp();
    accounts.cleanUp();
    tried.cleanUp();
  }

  private long delayMillis(int failures) {
    int doublings = Math.min(30, failures - settings.freeFailures());
    long d = settings.delay().toMillis() << doublings;
    return Math.min(d < 0 ? Long.MAX_VALUE : d, settings.maxDelay().toMillis());
  }

  /** One reserved attempt: refused, or admitted and then settled exactly once. */
  public final class Attempt {
    private final String nameKey;
    private final String addressKey;
    private final Limit refusedBy;
    private boolean settled;

    private Attempt(String nameKey, String addressKey, Limit refusedBy) {
      this.nameKey = nameKey;
      this.addressKey = addressKey;
      this.refusedBy = refusedBy;
      this.settled = refusedBy != null;
    }

    public boolean admitted() {
      return refusedBy == null;
    }

    /** The limit that refused it; {@code null} when admitted. */
    public Limit refusedBy() {
      return refusedBy;
    }

    /**
     * The password was right: nothing counts against the address, which is cleared for the user.
     */
    public void succeeded() {
      if (settle()) {
        if (nameKey != null) {
          accounts.asMap().computeIfPresent(nameKey, (k, a) -> a.withInFlight(a.inFlight() - 1));
          tried.invalidate(pair());
        }
        release(addressKey, false);
      }
    }

    /** The password was wrong: one more failure for the address and the account. */
    public void failed() {
      if (!settle()) {
        return;
      }
      if (nameKey != null) {
        long now = clock.millis();
        accounts
            .asMap()
            .compute(
                nameKey,
                (k, current) -> {
                  Account a = current == null ? Account.NONE.withInFlight(1) : current;
                  int failures = a.failures() + 1;
                  long nextAt =
                      failures >= settings.freeFailures()
                          ? now + delayMillis(failures)
                          : a.nextAt();
                  return new Account(failures, Math.max(0, a.inFlight() - 1), now, nextAt);
                });
      }
      release(addressKey, true);
    }

    /** The password was never checked (the server was busy or failed): nothing counts. */
    public void abandoned() {
      if (settle()) {
        if (nameKey != null) {
          accounts
              .asMap()
              .computeIfPresent(
                  nameKey,
                  (k, a) -> {
                    tried.asMap().computeIfPresent(pair(), (p, n) -> n > 1 ? n - 1 : null);
                    return a.withInFlight(a.inFlight() - 1);
                  });
        }
        release(addressKey, false);
      }
    }

    private String pair() {
      return nameKey + '\u0000' + addressKey;
    }

    private synchronized boolean settle() {
      if (settled) {
        return false;
      }
      settled = true;
      return true;
    }

    @Override
    public String toString() {
      return admitted() ? "admitted" : "refused by " + Objects.requireNonNull(refusedBy).text();
    }
  }
}
