package imps.server.account;

import imps.protocol.ErrorCode;
import imps.protocol.Gender;
import imps.protocol.Presence;
import imps.server.error.RequestException;
import imps.server.store.AccountStore;
import imps.server.store.NewUser;
import imps.server.store.UserRecord;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Registration and credential checks. */
public final class AccountService {
  private static final int MAX_CACHED_REFS = 1_000_000;

  private final AccountStore accounts;
  private final PasswordHasher hasher;
  private final LoginThrottle throttle;
  private final String dummyHash;
  private final CredentialCache credentials = new CredentialCache(1_000_000);
  // Name keys and ids never change once registered (there is no rename or delete), so lookups by
  // name can be cached for good; only existing users are cached, so a later registration is seen.
  private final ConcurrentMap<String, UserRef> refsByKey = new ConcurrentHashMap<>();
  // The same users by their exact registered spelling, which is how most clients send names.
  private final ConcurrentMap<String, UserRef> refsByName = new ConcurrentHashMap<>();

  private final LoginThrottle registrations;

  /**
   * @param throttle counts failed logins per user and address
   * @param registrations counts registrations per address (each costs a slow hash and an account)
   */
  public AccountService(
      AccountStore accounts,
      PasswordHasher hasher,
      LoginThrottle throttle,
      LoginThrottle registrations) {
    this.accounts = accounts;
    this.hasher = hasher;
    this.throttle = throttle;
    this.registrations = registrations;
    // Unknown users cost a hash too, so timing does not tell which names exist.
    this.dummyHash = hasher.hash("not a real password");
  }

  /**
   * Registers an account.
   *
   * @return true when created, false when the name is taken
   * @throws RequestException MALFORMED when a field is invalid, TOO_MANY_REQUESTS when this address
   *     registered too often lately
   */
  public boolean register(
      String name, String password, Gender gender, String email, String address) {
    if (!registrations.allowed("", address)) {
      throw new RequestException(ErrorCode.TOO_MANY_REQUESTS, "too many registrations");
    }
    registrations.failed("", address);
    if (!NameRules.isValidName(name)
        || !NameRules.isValidPassword(password)
        || !NameRules.isValidEmail(email)) {
      throw new RequestException(ErrorCode.MALFORMED, "invalid registration field");
    }
    String key = NameRules.key(name);
    if (accounts.findByKey(key).isPresent()) {
      return false;
    }
    String hash = hasher.hash(password);
    return accounts.create(new NewUser(name, key, hash, gender, email)).isPresent();
  }

  /**
   * Checks credentials.
   *
   * @throws RequestException BAD_CREDENTIALS (also for an unknown user), TOO_MANY_REQUESTS
   */
  public UserRecord authenticate(String name, String password, String address) {
    // Invalid names share one key: they cannot log in anyway, and must not fill the throttle.
    String key = NameRules.isValidName(name) ? NameRules.key(name) : "\u0000invalid";
    if (!throttle.allowed(key, address)) {
      throw new RequestException(ErrorCode.TOO_MANY_REQUESTS, "too many failed logins");
    }
    Optional<UserRecord> user =
        NameRules.isValidName(name) ? accounts.findByKey(key) : Optional.empty();
    boolean ok;
    if (user.isEmpty()) {
      hasher.verify(password, dummyHash);
      ok = false;
    } else if (credentials.matches(user.get().id(), password)) {
      ok = true;
    } else {
      ok = hasher.verify(password, user.get().passwordHash());
      if (ok) {
        credentials.remember(user.get().id(), password);
      }
    }
    if (!ok) {
      throttle.failed(key, address);
      throw new RequestException(ErrorCode.BAD_CREDENTIALS);
    }
    throttle.succeeded(key);
    return user.get();
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
    if (!NameRules.isValidName(name)) {
      return Optional.empty();
    }
    UserRef ref = refsByName.get(name);
    if (ref == null) {
      ref = refsByKey.get(NameRules.key(name));
    }
    return ref != null ? Optional.of(ref) : null;
  }

  /** The id and registered name of the user called {@code name} (any case), if any; cached. */
  public Optional<UserRef> lookup(String name) {
    if (!NameRules.isValidName(name)) {
      return Optional.empty();
    }
    // Most look-ups use the name exactly as registered, which is cached as is too, so the
    // normalisation into a key is only paid for other spellings.
    UserRef ref = refsByName.get(name);
    if (ref != null) {
      return Optional.of(ref);
    }
    String key = NameRules.key(name);
    ref = refsByKey.get(key);
    if (ref != null) {
      return Optional.of(ref);
    }
    Optional<UserRecord> user = accounts.findByKey(key);
    if (user.isPresent()) {
      if (refsByKey.size() >= MAX_CACHED_REFS) {
        refsByKey.clear();
        refsByName.clear();
      }
      ref = new UserRef(user.get().id(), user.get().name());
      refsByKey.put(key, ref);
      refsByName.put(ref.name(), ref);
      return Optional.of(ref);
    }
    return Optional.empty();
  }

  /** Drops expired throttle windows (called periodically). */
  public void sweepThrottles() {
    throttle.sweep();
    registrations.sweep();
  }

  /** The account with id {@code id}, if any. */
  public Optional<UserRecord> findById(long id) {
    return accounts.findById(id);
  }

  public void rememberStatus(long userId, Presence status) {
    accounts.setStatusPreference(userId, status);
  }
}
