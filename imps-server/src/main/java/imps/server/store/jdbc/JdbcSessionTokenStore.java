package imps.server.store.jdbc;

import imps.server.store.SessionTokenStore;
import java.sql.PreparedStatement;
import java.util.Optional;

/** {@link SessionTokenStore} in table {@code session_tokens}. */
public final class JdbcSessionTokenStore implements SessionTokenStore {
  private final JdbcDatabase db;

  public JdbcSessionTokenStore(JdbcDatabase db) {
    this.db = db;
  }

  @Override
  public void issue(long userId, byte[] tokenHash, long createdAt, long expiresAt, int maxPerUser) {
    db.write(
        tx -> {
          PreparedStatement ins =
              tx.prepare(
                  "INSERT INTO session_tokens (user_id, token_hash, created_at, expires_at)"
                      + " VALUES (?, ?, ?, ?)");
          ins.setLong(1, userId);
          ins.setBytes(2, tokenHash);
          ins.setLong(3, createdAt);
          ins.setLong(4, expiresAt);
          ins.executeUpdate();
          PreparedStatement trim =
              tx.prepare(
                  "DELETE FROM session_tokens WHERE user_id = ? AND id NOT IN"
                      + " (SELECT id FROM session_tokens WHERE user_id = ? ORDER BY id DESC"
                      + LiteralLimit.exactly(maxPerUser)
                      + ")");
          trim.setLong(1, userId);
          trim.setLong(2, userId);
          trim.executeUpdate();
          return null;
        });
  }

  @Override
  public Optional<Long> userOf(byte[] tokenHash, long now) {
    return db.read(
        tx ->
            tx.one(
                "SELECT user_id FROM session_tokens WHERE token_hash = ? AND expires_at > ?",
                ps -> {
                  ps.setBytes(1, tokenHash);
                  ps.setLong(2, now);
                },
                rs -> rs.getLong(1)));
  }

  @Override
  public void revoke(byte[] tokenHash) {
    db.write(
        tx -> {
          PreparedStatement ps = tx.prepare("DELETE FROM session_tokens WHERE token_hash = ?");
          ps.setBytes(1, tokenHash);
          ps.executeUpdate();
          return null;
        });
  }

  @Override
  public void revokeAll(long userId) {
    db.write(
        tx -> {
          PreparedStatement ps = tx.prepare("DELETE FROM session_tokens WHERE user_id = ?");
          ps.setLong(1, userId);
          ps.executeUpdate();
          return null;
        });
  }

  @Override
  public int purgeExpired(long now) {
    return db.write(
        tx -> {
          PreparedStatement ps = tx.prepare("DELETE FROM session_tokens WHERE expires_at <= ?");
          ps.setLong(1, now);
          return ps.executeUpdate();
        });
  }
}
