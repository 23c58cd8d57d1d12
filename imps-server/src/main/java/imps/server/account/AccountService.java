package imps.server.account;

import imps.protocol.ErrorCode;
import imps.protocol.Gender;
import imps.protocol.Presence;
import imps.server.concurrent.Offload;
import imps.server.error.RequestException;
import imps.server.limit.HeapBudget;
import imps.server.store.AccountStore;
import imps.server.store.NewUser;
import imps.server.store.UserRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Registration, credential checks and name look-ups ({@link NameDirectory}). Registration and login
 * are asynchronous and may be called on an event loop: their store reads run on the worker pool,
 * their password hashes on the {@link HashingPool}, and no thread waits for a hash. The look-ups
 * read the store on the calling thread (a worker). Guessing is throttled by {@link LoginThrottle},
 * registrations by {@link RegistrationLimiter}; both, and failed logins, go to the security log
 * ({@link AuthLog}).
 */
public final class AccountService implements AutoCloseable {
  /** Heap for each of the two name caches, in percent. */
  static final double NAME_CACHE_PERCENT = 3;

  /** Heap for the verified passwords, in percent. */
  static final double CREDENTIAL_CACHE_PERCENT = 4;

  /**
   * Heap the caches may take, in bytes, and how long a verified password is remembered.
   *
   * @param namesBytes each of the two name caches
   * @param credentialsBytes the verified passwords
   */
  public record Caches(long namesBytes, long credentialsBytes, Duration credentialTtl) {
    /** The documented shares of this JVM's heap. */
    public static Caches ofHeap(Duration credentialTtl) {
      return new Caches(
          HeapBudget.percentOfHeap(NAME_CACHE_PERCENT),
          HeapBudget.percentOfHeap(CREDENTIAL_CACHE_PERCENT),
          credentialTtl);
    }
  }

  // /metrics: imps_logins_total by result (password and session-token logins alike).
  private static final Counter LOGINS_OK = Metrics.counter("imps.logins", "result", "ok");
  private static final Counter LOGINS_REFUSED =
      Metrics.counter("imps.logins", "result", "bad_credentials");
  private static final Counter LOGINS_THROTTLED =
      Metrics.counter("imps.logins", "result", "throttled");
  private static final Counter LOGINS_FAILED = Metrics.counter("imps.logins", "result", "error");

  private final AccountStore accounts;
  private final Offload blocking;
  private final HashingPool hashing;
  private final LoginThrottle throttle;
  private final RegistrationLimiter registrations;
  private final AuthLog authLog;
  private final String dummyHash;
  private final CredentialCache credentials;
  private final NameDirectory names;

  /**
   * @param blocking the pool for store reads
   * @param hashing the pool for password hashes
   * @param throttle counts login attempts per address and account
   * @param registrations counts registrations per address and in all
   */
  public AccountService(
      AccountStore accounts,
      Offload blocking,
      HashingPool hashing,
      LoginThrottle throttle,
      RegistrationLimiter registrations,
      Caches caches,
      Clock clock) {
    this.accounts = accounts;
    this.blocking = blocking;
    this.hashing = hashing;
    this.throttle = throttle;
    this.registrations = registrations;
    this.authLog = new AuthLog(clock);
    this.credentials =
        new CredentialCache(caches.credentialsBytes(), caches.credentialTtl(), clock);
    this.names = new NameDirectory(accounts, caches.namesBytes());
    // Unknown users cost a hash too, so timing does not tell which names exist.
    this.dummyHash = hashing.hash("not a real password").join();
  }

  /** Heap per cached name, in bytes ({@link NameDirectory#nameEntryBytes}). */
  static int nameEntryBytes(String key, UserRef ref) {
    return NameDirectory.nameEntryBytes(key, ref);
  }

  /**
   * How long a cached name stays without asking the store again: an account deleted on another node
   * (and its name registered again) is seen here at the latest this long after.
   */
  static final Duration NAME_RECHECK = NameDirectory.NAME_RECHECK;

  /**
   * Registers an account.
   *
   * @return completes with true when created, false when the name is taken; fails with MALFORMED
   *     when a field is invalid or the name mixes scripts confusably, TOO_MANY_REQUESTS when this
   *     address (or everyone) registered too often lately or the server is busy
   */
  public CompletableFuture<Boolean> register(
      String name, String password, Gender gender, String email, String address) {
    if (!NameRules.isRegistrable(name)
        || !NameRules.isValidPassword(password)
        || !NameRules.isValidEmail(email)) {
      return failed(ErrorCode.MALFORMED, "invalid registration field");
    }
    RegistrationLimiter.Registration r = registrations.reserve(address);
    if (!r.admitted()) {
      authLog.registrationThrottled(address, r.refusedBy());
      return failed(ErrorCode.TOO_MANY_REQUESTS, "too many registrations");
    }
    String key = NameRules.key(name);
    return blocking
        .supply(() -> accounts.findByKey(key).isPresent())
        .thenCompose(
            taken ->
                taken
                    ? CompletableFuture.completedFuture(false)
                    : hashing
                        .hash(password)
                        .thenApplyAsync(
                            hash ->
                                accounts
                                    .create(new NewUser(name, key, hash, gender, email))
                                    .isPresent(),
                            blocking))
        .whenComplete(
            (created, e) -> {
              if (e != null || !created) {
                r.unused();
              } else {
                authLog.registered(name, address);
              }
            });
  }

  /**
   * Checks credentials.
   *
   * @return completes with the account; fails with BAD_CREDENTIALS (also for an unknown user),
   *     TOO_MANY_REQUESTS when throttled or the server is busy
   */
  public CompletableFuture<UserRecord> authenticate(String name, String password, String address) {
    return authenticate(name, address, user -> check(user, password));
  }

  /**
   * Checks a session token instead of a password ({@code C_RESUME}), under the same throttle: a
   * wrong token counts as a failed login.
   *
   * @param tokenOwner the user id the token belongs to, if it is a valid one (blocking: runs on a
   *     worker)
   */
  public CompletableFuture<UserRecord> authenticateByToken(
      String name, String address, Supplier<Optional<Long>> tokenOwner) {
    return authenticate(
        name,
        address,
        user ->
            blocking.supply(
                () ->
                    user.isPresent()
                            && tokenOwner.get().filter(id -> id == user.get().id()).isPresent()
                        ? user
                        : Optional.<UserRecord>empty()));
  }

  private CompletableFuture<UserRecord> authenticate(
      String name,
      String address,
      Function<Optional<UserRecord>, CompletableFuture<Optional<UserRecord>>> proof) {
    boolean valid = NameRules.isValidName(name);
    String key = valid ? NameRules.key(name) : null;
    return throttle
        .reserve(key, address)
        .thenCompose(attempt -> check(attempt, name, key, address, proof));
  }

  /** The rest of a login once its attempt is decided: look-up, proof, and settling the attempt. */
  private CompletableFuture<UserRecord> check(
      LoginThrottle.Attempt attempt,
      String name,
      String key,
      String address,
      Function<Optional<UserRecord>, CompletableFuture<Optional<UserRecord>>> proof) {
    if (!attempt.admitted()) {
      LOGINS_THROTTLED.increment();
      authLog.loginThrottled(name, address, attempt.refusedBy());
      return failed(ErrorCode.TOO_MANY_REQUESTS, "too many failed logins");
    }
    CompletableFuture<Optional<UserRecord>> found =
        key != null
            ? blocking.supply(() -> accounts.findByKey(key))
            : CompletableFuture.completedFuture(Optional.empty());
    return found
        .thenCompose(proof)
        .handle(
            (user, e) -> {
              if (e != null) {
                LOGINS_FAILED.increment();
                attempt.abandoned();
                throw e instanceof CompletionException ce ? ce : new CompletionException(e);
              }
              if (user.isEmpty()) {
                LOGINS_REFUSED.increment();
                attempt.failed();
                authLog.loginFailed(name, address);
                throw new RequestException(ErrorCode.BAD_CREDENTIALS);
              }
              LOGINS_OK.increment();
              attempt.succeeded();
              return user.get();
            });
  }

  /** The user if {@code password} is theirs; empty for a wrong password or an unknown user. */
  private CompletableFuture<Optional<UserRecord>> check(
      Optional<UserRecord> user, String password) {
    if (user.isEmpty()) {
      return hashing.verify(password, dummyHash).thenApply(ok -> Optional.empty());
    }
    UserRecord u = user.get();
    if (credentials.matches(u.id(), u.passwordHash(), password)) {
      return CompletableFuture.completedFuture(user);
    }
    return hashing
        .verify(password, u.passwordHash())
        .thenApply(
            ok -> {
              if (!ok) {
                return Optional.empty();
              }
              credentials.remember(u.id(), u.passwordHash(), password);
              return user;
            });
  }

  /**
   * Hashes a password for an operator's change (admin commands), on the hashing pool.
   *
   * @throws IllegalArgumentException if it breaks the password rules
   */
  public CompletableFuture<String> hashNewPassword(String password) {
    if (!NameRules.isValidPassword(password)) {
      throw new IllegalArgumentException("a password has 6 to 128 characters");
    }
    return hashing.hash(password);
  }

  /**
   * Creates an account for an operator (admin commands): the registration rules apply, the limits
   * per address do not.
   *
   * @return completes with the account, or empty when the name is taken
   * @throws IllegalArgumentException if a field breaks the registration rules
   */
  public CompletableFuture<Optional<UserRecord>> create(
      String name, String password, String email) {
    if (!NameRules.isRegistrable(name)) {
      throw new IllegalArgumentException("not a valid new user name: " + name);
    }
    if (!NameRules.isValidEmail(email)) {
      throw new IllegalArgumentException("not a valid e-mail address");
    }
    return hashNewPassword(password)
        .thenApplyAsync(
            hash ->
                accounts.create(
                    new NewUser(name, NameRules.key(name), hash, Gender.UNSPECIFIED, email)),
            blocking);
  }

  /**
   * Changes {@code name}'s password ({@code C_PASSWD}) once {@code oldPassword} proves to be the
   * current one, under the login throttle (a wrong one counts as a failed login). Forgets the
   * verified password on this node; other nodes' entries were made for the old stored hash and no
   * longer match.
   *
   * @return completes with the account; fails with MALFORMED for an invalid new password,
   *     BAD_CREDENTIALS for a wrong current one, TOO_MANY_REQUESTS when throttled or busy
   */
  public CompletableFuture<UserRecord> changePassword(
      String name, String oldPassword, String newPassword, String address) {
    if (!NameRules.isValidPassword(newPassword)) {
      return failed(ErrorCode.MALFORMED, "invalid new password");
    }
    return authenticate(name, oldPassword, address)
        .thenCompose(
            user ->
                hashing
                    .hash(newPassword)
                    .thenApplyAsync(
                        hash -> {
                          accounts.setPasswordHash(user.id(), hash);
                          credentials.forget(user.id());
                          authLog.passwordChanged(user.name(), address);
                          return user;
                        },
                        blocking));
  }

  /**
   * Deletes {@code user}'s account and everything stored of it, in one store transaction; for a
   * caller that has checked the right to (a password proved with {@link #authenticate}, or an
   * operator). The name is free again at once; this node forgets it at once, other nodes' name
   * caches within {@link #NAME_RECHECK}. Reads and writes the store on the calling thread (a
   * worker, never an event loop).
   *
   * @param by who asked, for the security log: the client's address, or {@code admin}
   * @return whether the account still existed
   */
  public boolean delete(UserRecord user, String by) {
    boolean deleted = accounts.delete(user.id());
    credentials.forget(user.id());
    names.forget(user);
    if (deleted) {
      authLog.accountDeleted(user.name(), by);
    }
    return deleted;
  }

  /** Forgets the password verified for {@code userId}; a password change must call this. */
  public void forgetVerifiedPassword(long userId) {
    credentials.forget(userId);
  }

  /** The account named {@code name} (any case), if any. */
  public Optional<UserRecord> find(String name) {
    if (!NameRules.isValidName(name)) {
      return Optional.empty();
    }
    return accounts.findByKey(NameRules.key(name));
  }

  /**
   * {@link #lookup} from the caches alone, for callers that must not touch the store: the answer,
   * or {@code null} when only the store can tell.
   */
  public Optional<UserRef> lookupCached(String name) {
    return names.lookupCached(name);
  }

  /** The id and registered name of the user called {@code name} (any case), if any; cached. */
  public Optional<UserRef> lookup(String name) {
    return names.lookup(name);
  }

  /** Names cached by key now; for tests. */
  long cachedNames() {
    return names.cachedNames();
  }

  /** Drops expired throttle state and says what the security log left out (called periodically). */
  public void sweepThrottles() {
    throttle.cleanUp();
    registrations.cleanUp();
    authLog.flush();
  }

  /** The account with id {@code id}, if any. */
  public Optional<UserRecord> findById(long id) {
    return accounts.findById(id);
  }

  public void rememberStatus(long userId, Presence status) {
    accounts.setStatusPreference(userId, status);
  }

  /** Stops the hashing threads. */
  @Override
  public void close() {
    hashing.close();
  }

  private static <T> CompletableFuture<T> failed(ErrorCode code, String why) {
    return CompletableFuture.failedFuture(new RequestException(code, why));
  }
}
