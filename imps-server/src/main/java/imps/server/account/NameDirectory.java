package imps.server.account;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import imps.server.store.AccountStore;
import imps.server.store.UserRecord;
import java.time.Duration;
import java.util.Optional;

/**
 * Who is called what, for {@link AccountService}: the id and registered name of a user by any
 * spelling of the name, cached. Name keys and ids never change once registered, so a cached answer
 * stays right until the account is deleted; only existing users are cached, so a later registration
 * is seen at once, and every entry is checked again after {@link #NAME_RECHECK} (an account deleted
 * on another node). Look-ups that miss the caches read the store on the calling thread (a worker).
 * Thread-safe.
 */
final class NameDirectory {
  /**
   * How long a cached name stays without asking the store again: an account deleted on another node
   * (and its name registered again) is seen here at the latest this long after.
   */
  static final Duration NAME_RECHECK = Duration.ofMinutes(1);

  private final AccountStore accounts;
  private final Cache<String, UserRef> refsByKey;
  // The same users by their exact registered spelling, which is how most clients send names.
  private final Cache<String, UserRef> refsByName;

  /**
   * @param maxBytes heap for each of the two caches
   */
  NameDirectory(AccountStore accounts, long maxBytes) {
    this.accounts = accounts;
    this.refsByKey = nameCache(maxBytes);
    this.refsByName = nameCache(maxBytes);
  }

  /**
   * Heap per cached name, in bytes: the key string (about 40 bytes and 2 per character, at worst),
   * the UserRef with its name string, and Caffeine's and the hash table's nodes (about 100).
   */
  static int nameEntryBytes(String key, UserRef ref) {
    return 100 + 40 + 2 * key.length() + 24 + 40 + 2 * ref.name().length();
  }

  private static Cache<String, UserRef> nameCache(long maxBytes) {
    return Caffeine.newBuilder()
        .maximumWeight(maxBytes)
        .weigher(NameDirectory::nameEntryBytes)
        .expireAfterWrite(NAME_RECHECK)
        .executor(Runnable::run)
        .build();
  }

  /** See {@link AccountService#lookupCached}. */
  Optional<UserRef> lookupCached(String name) {
    if (!NameRules.isValidName(name)) {
      return Optional.empty();
    }
    UserRef ref = refsByName.getIfPresent(name);
    if (ref == null) {
      ref = refsByKey.getIfPresent(NameRules.key(name));
    }
    return ref != null ? Optional.of(ref) : null;
  }

  /** See {@link AccountService#lookup}. */
  Optional<UserRef> lookup(String name) {
    if (!NameRules.isValidName(name)) {
      return Optional.empty();
    }
    // Most look-ups use the name exactly as registered, which is cached as is too, so the
    // normalisation into a key is only paid for other spellings.
    UserRef ref = refsByName.getIfPresent(name);
    if (ref != null) {
      return Optional.of(ref);
    }
    String key = NameRules.key(name);
    ref = refsByKey.getIfPresent(key);
    if (ref != null) {
      return Optional.of(ref);
    }
    Optional<UserRecord> user = accounts.findByKey(key);
    if (user.isPresent()) {
      ref = new UserRef(user.get().id(), user.get().name());
      refsByKey.put(key, ref);
      refsByName.put(ref.name(), ref);
      return Optional.of(ref);
    }
    return Optional.empty();
  }

  /** Forgets a deleted account's name on this node at once. */
  void forget(UserRecord user) {
    refsByName.invalidate(user.name());
    refsByKey.invalidate(user.nameKey());
  }

  /** Names cached by key now; for tests. */
  long cachedNames() {
    refsByKey.cleanUp();
    return refsByKey.estimatedSize();
  }
}
