package imps.server.account;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
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
 * user pays the full price again.
 */
final class CredentialCache {
  private static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec key;
  private final int maxEntries;
  private final ConcurrentMap<Long, byte[]> verified = new ConcurrentHashMap<>();

  CredentialCache(int maxEntries) {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    this.key = new SecretKeySpec(k, ALGORITHM);
    this.maxEntries = maxEntries;
  }

  /** Whether {@code password} is the one last verified for {@code userId}. */
  boolean matches(long userId, String password) {
    byte[] known = verified.get(userId);
    return known != null && MessageDigest.isEqual(known, mac(userId, password));
  }

  /** Remembers that {@code password} passed the slow check for {@code userId}. */
  void remember(long userId, String password) {
    if (verified.size() >= maxEntries) {
      // Crude but bounded: start over rather than grow without limit.
      verified.clear();
    }
    verified.put(userId, mac(userId, password));
  }

  private byte[] mac(long userId, String password) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      mac.update(Long.toString(userId).getBytes(StandardCharsets.US_ASCII));
      mac.update((byte) 0);
      return mac.doFinal(password.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
