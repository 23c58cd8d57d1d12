package imps.server.account;

import imps.server.store.SessionTokenStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * Session tokens: what a client with acknowledged delivery uses to resume its session ({@code
 * C_RESUME}) without the password, after a dropped connection or a server restart, on any node.
 *
 * <p>A token is 32 random bytes (base64url, 43 characters); the store keeps only its SHA-256, so a
 * copy of the database does not let anyone in. A token lasts {@code ttl}, a user keeps at most
 * {@code perUser} (the oldest go first), and a password change or an explicit sign-out revokes
 * them. Blocking: call on a worker thread.
 */
public final class SessionTokens {
  private static final int TOKEN_BYTES = 32;

  private final SessionTokenStore store;
  private final Clock clock;
  private final Duration ttl;
  private final int perUser;
  private final SecureRandom random = new SecureRandom();

  public SessionTokens(SessionTokenStore store, Clock clock, Duration ttl, int perUser) {
    this.store = store;
    this.clock = clock;
    this.ttl = ttl;
    this.perUser = perUser;
  }

  /** A new token for {@code userId}, stored (hashed) before it is returned. */
  public String issue(long userId) {
    byte[] raw = new byte[TOKEN_BYTES];
    random.nextBytes(raw);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    long now = clock.millis();
    store.issue(userId, hash(token), now, now + ttl.toMillis(), perUser);
    return token;
  }

  /** How long a new token lasts. */
  public Duration ttl() {
    return ttl;
  }

  /** The user of a valid token, if it is one. */
  public Optional<Long> userOf(String token) {
    if (token.length() > 128) {
      return Optional.empty();
    }
    return store.userOf(hash(token), clock.millis());
  }

  /** Revokes one token (an explicit sign-out). */
  public void revoke(String token) {
    store.revoke(hash(token));
  }

  /** Revokes every token of a user (password change, deleted account). */
  public void revokeAll(long userId) {
    store.revokeAll(userId);
  }

  /** Deletes expired tokens; returns how many. */
  public int purgeExpired() {
    return store.purgeExpired(clock.millis());
  }

  static byte[] hash(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
