package imps.server.store;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link SessionTokenStore} that passes everything to a real one and runs a test's hook once at a
 * chosen moment (before a token is issued, after a token is looked up), so that a race with a
 * password change or a ban happens exactly there.
 */
public final class HookedTokens implements SessionTokenStore {
  private final SessionTokenStore real;
  private final AtomicReference<Runnable> beforeIssue;
  private final AtomicReference<Runnable> afterLookUp;

  /**
   * @param beforeIssue run once before the next {@link #issue}, if set
   * @param afterLookUp run once after the next {@link #userOf}, if set
   */
  public HookedTokens(
      SessionTokenStore real,
      AtomicReference<Runnable> beforeIssue,
      AtomicReference<Runnable> afterLookUp) {
    this.real = real;
    this.beforeIssue = beforeIssue;
    this.afterLookUp = afterLookUp;
  }

  /** Runs the hook {@code hook} holds, once, if any. */
  public static void runOnce(AtomicReference<Runnable> hook) {
    Runnable r = hook == null ? null : hook.getAndSet(null);
    if (r != null) {
      r.run();
    }
  }

  @Override
  public void issue(long userId, byte[] tokenHash, long createdAt, long expiresAt, int maxPerUser) {
    runOnce(beforeIssue);
    real.issue(userId, tokenHash, createdAt, expiresAt, maxPerUser);
  }

  @Override
  public Optional<Long> userOf(byte[] tokenHash, long now) {
    Optional<Long> owner = real.userOf(tokenHash, now);
    runOnce(afterLookUp);
    return owner;
  }

  @Override
  public void revoke(byte[] tokenHash) {
    real.revoke(tokenHash);
  }

  @Override
  public void revokeAll(long userId) {
    real.revokeAll(userId);
  }

  @Override
  public int purgeExpired(long now) {
    return real.purgeExpired(now);
  }
}
