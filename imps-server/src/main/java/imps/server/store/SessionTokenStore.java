package imps.server.store;

import java.util.Optional;

/**
 * Session tokens for resuming a session without the password: only a hash of each token is stored,
 * with its user and expiry. Each method is one atomic transaction.
 */
public interface SessionTokenStore {

  /**
   * Stores a new token of {@code userId}, keeping at most {@code maxPerUser} of the user's newest
   * tokens (older ones are revoked).
   */
  void issue(long userId, byte[] tokenHash, long createdAt, long expiresAt, int maxPerUser);

  /** The user of a token that has not expired at {@code now}, if any. */
  Optional<Long> userOf(byte[] tokenHash, long now);

  /** Revokes one token (an explicit sign-out). */
  void revoke(byte[] tokenHash);

  /** Revokes every token of the user (a password change, a deleted account). */
  void revokeAll(long userId);

  /** Deletes expired tokens; returns how many. */
  int purgeExpired(long now);
}
