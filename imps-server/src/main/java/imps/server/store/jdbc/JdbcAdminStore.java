package imps.server.store.jdbc;

import imps.server.store.AdminStore;
import imps.server.store.UserRecord;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;

/** {@link AdminStore} in SQL both backends speak; the backup is the backend's own. */
final class JdbcAdminStore implements AdminStore {
  /** Writes a copy of the database to a file, or refuses. */
  interface Backup {
    void to(JdbcDatabase db, Path file);
  }

  private final JdbcDatabase db;
  private final Backup backup;

  JdbcAdminStore(JdbcDatabase db, Backup backup) {
    this.db = db;
    this.backup = backup;
  }

  @Override
  public Counts counts() {
    return db.read(
        tx -> {
          long users = count(tx, "SELECT count(*) FROM users");
          try (ResultSet rs =
              tx.prepare(
                      "SELECT count(body_text), count(body_audio),"
                          + " coalesce(sum(CASE WHEN delivered = 0 AND body_text IS NOT NULL"
                          + " THEN 1 ELSE 0 END), 0),"
                          + " coalesce(sum(CASE WHEN delivered = 0 AND body_audio IS NOT NULL"
                          + " THEN 1 ELSE 0 END), 0)"
                          + " FROM messages")
                  .executeQuery()) {
            rs.next();
            return new Counts(users, rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4));
          }
        });
  }

  private static long count(Tx tx, String sql) throws java.sql.SQLException {
    try (ResultSet rs = tx.prepare(sql).executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Override
  public List<UserRecord> listUsers(String keyPrefix, int limit) {
    // substr instead of LIKE (no escaping of % and _) or a range (collations differ): both
    // databases count characters. A scan, which an operator's search can afford.
    return db.read(
        tx ->
            tx.list(
                "SELECT "
                    + JdbcAccountStore.USER_COLUMNS
                    + " FROM users WHERE substr(name_key, 1, ?) = ? ORDER BY name_key"
                    + LiteralLimit.atLeast(limit),
                ps -> {
                  ps.setInt(1, keyPrefix.length());
                  ps.setString(2, keyPrefix);
                },
                JdbcAccountStore::user,
                limit));
  }

  @Override
  public boolean setPasswordHash(long userId, String passwordHash) {
    return db.write(
        tx -> {
          PreparedStatement ps = tx.prepare("UPDATE users SET password_hash = ? WHERE id = ?");
          ps.setString(1, passwordHash);
          ps.setLong(2, userId);
          return ps.executeUpdate() == 1;
        });
  }

  @Override
  public void backup(Path file) {
    backup.to(db, file);
  }

  @Override
  public List<AddressBan> addressBans() {
    return db.read(
        tx ->
            tx.list(
                "SELECT cidr, created_at FROM address_bans ORDER BY cidr",
                ps -> {},
                rs -> new AddressBan(rs.getString(1), rs.getLong(2))));
  }

  @Override
  public boolean addAddressBan(String cidr, long createdAt) {
    return db.write(
        tx -> {
          PreparedStatement ps =
              tx.prepare(
                  "INSERT INTO address_bans (cidr, created_at) VALUES (?, ?)"
                      + " ON CONFLICT (cidr) DO NOTHING");
          ps.setString(1, cidr);
          ps.setLong(2, createdAt);
          return ps.executeUpdate() == 1;
        });
  }

  @Override
  public boolean removeAddressBan(String cidr) {
    return db.write(
        tx -> {
          PreparedStatement ps = tx.prepare("DELETE FROM address_bans WHERE cidr = ?");
          ps.setString(1, cidr);
          return ps.executeUpdate() == 1;
        });
  }
}
