package imps.server.account;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import imps.server.limit.KeyedLimiter;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Makes a returning user's login cheap without weakening stored passwords.
 *
 * <p>After a password has passed the slow Argon2id check once, this keeps, in memory only, an
 * HMAC-SHA256 of it under a random key made at start-up. A later login with the same password
 * matches the HMAC in microseconds instead of spending ~50 ms of CPU and 19 MiB on Argon2id.
 *
 * <p>Why this is safe: nothing here is ever written to disk, so the stored hashes stay slow; a
 * wrong password never matches and falls through to the full Argon2id check, so guessing costs an
 * attacker as much as before (and failed logins are still throttled); the key is random per
 * process, so entries are worthless outside this process. After a restart the first login of each
 * user pays the full price again. A heap dump of the process does hold the key and the HMACs, which
 * are fast to test guesses against: entries therefore expire ({@code ttl}, review finding L5), and
 * a password change must {@link #forget} the user. Each entry is bound to the stored hash it was
 * verified against, so a password changed on another node (a new stored hash) never matches an
 * entry made for the old one.
 *
 * <p>Bounded in bytes, not entries (review finding M10): {@code maxBytes} of heap at most.
 */
final class CredentialCache {
  /**
   * Heap per entry, in bytes: a Long key (16), the 32-byte HMAC in an array (48), Caffeine's node
   * with its expiry and eviction links (~72) and the hash table's own node and slot (~40).
   */
  static final int ENTRY_BYTES = 176;

  private static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec key;
  private final Cache<Long, byte[]> verified;

  CredentialCache(long maxBytes, Duration ttl, Clock clock) {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    this.key = new SecretKeySpec(k, ALGORITHM);
    this.verified =
        Caffeine.newBuilder()
            .maximumWeight(maxBytes)
            .<Long, byte[]>weigher((id, mac) -> ENTRY_BYTES)
            .expireAfterWrite(ttl)
            .ticker(KeyedLimiter.ticker(clock))
            .executor(Runnable::run)
            .build();
  }

  /**
   * Whether {@code password} is the one last verified for {@code userId} against the stored hash
   * {@code passwordHash}.
   */
  boolean matches(long userId, String passwordHash, String password) {
    byte[] known = verified.getIfPresent(userId);
    return known != null && MessageDigest.isEqual(known, mac(userId, passwordHash, password));
  }

  /** Remembers that {@code password} passed the slow check against {@code passwordHash}. */
  void remember(long userId, String passwordHash, String password) {
    verified.put(userId, mac(userId, passwordHash, password));
  }

  /** Forgets {@code userId}'s verified password (after a password change, say). */
  void forget(long userId) {
    verified.invalidate(userId);
  }

  /** Entries held now (approximate); for tests. */
  long size() {
    verified.cleanUp();
    return verified.estimatedSize();
  }

  private byte[] mac(long userId, String passwordHash, String password) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      mac.update(Long.toString(userId).getBytes(StandardCharsets.US_ASCII));
      mac.update((byte) 0);
      mac.update(passwordHash.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      return mac.doFinal(password.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
