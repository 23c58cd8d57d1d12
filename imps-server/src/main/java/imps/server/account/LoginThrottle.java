package imps.server.account;

import imps.server.limit.AddressKeys;
import imps.server.limit.KeyedLimiter;
import imps.server.limit.TokenBucket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
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
 * concurrent guesses cannot all slip through before the first failure is counted. Yet an attempt is
 * never refused because of attempts under way, only because of failures: one that would pass a
 * limit only if those under way failed waits for them to settle (issue 11, item 5: many correct
 * logins at once from one carrier NAT all get in). The hashing work of many logins at once is
 * bounded by the {@link HashingPool}'s queue, not here; waiting here takes no place in it. The
 * per-account counts are kept by {@link AccountDelays}; this class keeps the per-address limit and
 * the queues of waiting attempts. An account's failures are forgotten {@code window} after its last
 * delay ended. State is per node and in memory, bounded in bytes and time (Caffeine, see {@link
 * KeyedLimiter} for the eviction order): a restart or an eviction only errs towards letting a login
 * through. The queues of attempts under way and waiting hold at most one attempt per connection.
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
   * @param maxBytes heap for each of the remembered addresses, accounts and account-address pairs
   */
  public record Settings(
      int freeFailures,
      Duration delay,
      Duration maxDelay,
      int perAddress,
      Duration window,
      long maxBytes) {}

  private final KeyedLimiter<String> addresses;
  private final AccountDelays accounts;
  // Guards all of the state here, so that a count and the queue waiting on it change together.
  private final Object lock = new Object();
  // Per address with attempts under way: how many, and the attempts waiting for them to settle.
  // An entry lives only while it has either, so there is at most one per login under way (a
  // connection has at most one at a time), and so for the waiting attempts of an account.
  private final Map<String, UnderWay> underWay = new HashMap<>();
  private final Map<String, ArrayDeque<Waiter>> accountWaiting = new HashMap<>();

  private static final class UnderWay {
    int running;
    final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
  }

  /** A reservation not yet decided. */
  private static final class Waiter {
    final String nameKey;
    final String addressKey;
    final CompletableFuture<Attempt> result = new CompletableFuture<>();
    // Whether it holds one of its address's tries (counted in UnderWay.running).
    boolean holdsAddressTry;

    Waiter(String nameKey, String addressKey) {
      this.nameKey = nameKey;
      this.addressKey = addressKey;
    }
  }

  public LoginThrottle(Settings settings, Clock clock) {
    this.addresses =
        new KeyedLimiter<>(
            TokenBucket.Rate.of(settings.perAddress(), settings.window()),
            settings.perAddress(),
            settings.maxBytes(),
            clock);
    this.accounts = new AccountDelays(settings, clock);
  }

  /**
   * Reserves a login attempt, before the password is checked; once admitted, the attempt must be
   * settled once. Attempts under way count before they fail, but an attempt is never refused merely
   * because others are under way: it waits for them instead. An attempt from an address whose
   * remaining tries are all held by attempts under way waits for one of them to settle (a success
   * gives its try back, a failure uses it up); so does an attempt that the account's attempts under
   * way would push past its free failures. So no more guesses are checked than the limits allow,
   * and yet a correct password from an address that has not been failing is only ever delayed (by
   * the hashes ahead of it), never refused.
   *
   * @param nameKey the account's name key, or {@code null} for a name that cannot exist (only the
   *     address limit applies then)
   * @return completes with the attempt, admitted or refused; never fails. It completes at once
   *     unless it waits, and then on the thread that settles an attempt it waited for.
   */
  public CompletableFuture<Attempt> reserve(String nameKey, String address) {
    Waiter w = new Waiter(nameKey, AddressKeys.of(address));
    List<Decided> decided = new ArrayList<>();
    synchronized (lock) {
      advance(new ArrayDeque<>(List.of(w)), decided);
    }
    complete(decided);
    return w.result;
  }

  /** Number of attempts waiting for others to settle; for tests. */
  int waiting() {
    synchronized (lock) {
      return underWay.values().stream().mapToInt(u -> u.waiting.size()).sum()
          + accountWaiting.values().stream().mapToInt(ArrayDeque::size).sum();
    }
  }

  /** Heap the remembered addresses, accounts and pairs take now (three budgets); for tests. */
  long weightedSize() {
    synchronized (lock) {
      return addresses.weightedSize() + accounts.weightedSize();
    }
  }

  private record Decided(Waiter waiter, Attempt attempt) {}

  /** Completes the decided reservations; outside the lock, since completing runs the login on. */
  private static void complete(List<Decided> decided) {
    for (Decided d : decided) {
      d.waiter().result.complete(d.attempt());
    }
  }

  /**
   * Takes each reservation of {@code work} as far as it goes now: decided (into {@code decided}) or
   * queued behind attempts under way. Holding the lock.
   */
  private void advance(ArrayDeque<Waiter> work, List<Decided> decided) {
    for (Waiter w = work.poll(); w != null; w = work.poll()) {
      if (!w.holdsAddressTry) {
        long left = addresses.available(w.addressKey);
        if (left <= 0) {
          decided.add(new Decided(w, new Attempt(null, w.addressKey, Limit.ADDRESS)));
          continue;
        }
        UnderWay u = underWay.computeIfAbsent(w.addressKey, k -> new UnderWay());
        if (u.running >= left) {
          u.waiting.add(w);
          continue;
        }
        u.running++;
        w.holdsAddressTry = true;
      }
      if (w.nameKey == null) {
        decided.add(new Decided(w, new Attempt(null, w.addressKey, null)));
        continue;
      }
      switch (accounts.verdict(w.nameKey, w.addressKey)) {
        case GO -> decided.add(new Decided(w, new Attempt(w.nameKey, w.addressKey, null)));
        case WAIT -> accountWaiting.computeIfAbsent(w.nameKey, k -> new ArrayDeque<>()).add(w);
        case REFUSE -> {
          decided.add(new Decided(w, new Attempt(null, w.addressKey, Limit.ACCOUNT)));
          releaseAddressTry(w.addressKey, false, work, decided);
        }
      }
    }
  }

  /**
   * An attempt from {@code addressKey} is over: a failure uses up one of the address's tries, then
   * the waiters are admitted while the address has tries left beyond those under way (into {@code
   * work}), or all refused when it has none left. Holding the lock.
   */
  private void releaseAddressTry(
      String addressKey, boolean failed, ArrayDeque<Waiter> work, List<Decided> decided) {
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
      for (Waiter w : u.waiting) {
        decided.add(new Decided(w, new Attempt(null, addressKey, Limit.ADDRESS)));
      }
      u.waiting.clear();
    }
    while (u.running < left && !u.waiting.isEmpty()) {
      Waiter w = u.waiting.poll();
      u.running++;
      w.holdsAddressTry = true;
      work.add(w);
    }
    if (u.running <= 0 && u.waiting.isEmpty()) {
      underWay.remove(addressKey);
    }
  }

  /**
   * An admitted attempt is over: {@code update} changes its account's state (when it names one),
   * then the account's waiters and the address's are taken as far as they go now.
   */
  private void settled(String nameKey, String addressKey, boolean failed, Runnable update) {
    List<Decided> decided = new ArrayList<>();
    synchronized (lock) {
      ArrayDeque<Waiter> work = new ArrayDeque<>();
      if (nameKey != null) {
        update.run();
        ArrayDeque<Waiter> waiting = accountWaiting.remove(nameKey);
        if (waiting != null) {
          work.addAll(waiting);
        }
      }
      releaseAddressTry(addressKey, failed, work, decided);
      advance(work, decided);
    }
    complete(decided);
  }

  /** Drops expired state now rather than at some later use (called periodically). */
  public void cleanUp() {
    addresses.cleanUp();
    accounts.cleanUp();
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
        settled(nameKey, addressKey, false, () -> accounts.succeeded(nameKey, addressKey));
      }
    }

    /** The password was wrong: one more failure for the address and the account. */
    public void failed() {
      if (settle()) {
        settled(nameKey, addressKey, true, () -> accounts.failed(nameKey));
      }
    }

    /** The password was never checked (the server was busy or failed): nothing counts. */
    public void abandoned() {
      if (settle()) {
        settled(nameKey, addressKey, false, () -> accounts.abandoned(nameKey, addressKey));
      }
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
