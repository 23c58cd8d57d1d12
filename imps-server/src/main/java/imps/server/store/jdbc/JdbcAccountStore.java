package imps.server.store.jdbc;

import imps.protocol.Gender;
import imps.protocol.Presence;
import imps.server.store.AccountStore;
import imps.server.store.NewUser;
import imps.server.store.UserRecord;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;

/** {@link AccountStore} in table {@code users}. */
public final class JdbcAccountStore implements AccountStore {
  static final String USER_COLUMNS =
      "id, name, name_key, password_hash, gender, email, status_pref, shared_time, shared_location";

  private final JdbcDatabase db;
  private final Clock clock;

  public JdbcAccountStore(JdbcDatabase db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  @Override
  public Optional<UserRecord> create(NewUser u) {
    return db.write(
        tx -> {
          PreparedStatement ps =
              tx.prepare(
                  "INSERT INTO users (name, name_key, password_hash, gender, email, status_pref,"
                      + " shared_time, shared_location, created_at) VALUES (?, ?, ?, ?, ?, 2, '', '', ?)"
                      + " ON CONFLICT (name_key) DO NOTHING RETURNING id");
          ps.setString(1, u.name());
          ps.setString(2, u.nameKey());
          ps.setString(3, u.passwordHash());
          ps.setInt(4, u.gender().value());
          ps.setString(5, u.email());
          ps.setLong(6, clock.millis());
          try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
              return Optional.empty();
            }
            return Optional.of(
                new UserRecord(
                    rs.getLong(1),
                    u.name(),
                    u.nameKey(),
                    u.passwordHash(),
                    u.gender(),
                    u.email(),
                    Presence.ONLINE,
                    "",
                    ""));
          }
        });
  }

  @Override
  public Optional<UserRecord> findByKey(String nameKey) {
    return db.read(
        tx ->
            one(
                tx.prepare("SELECT " + USER_COLUMNS + " FROM users WHERE name_key = ?"),
                ps -> ps.setString(1, nameKey)));
  }

  @Override
  public Optional<UserRecord> findById(long id) {
    return db.read(
        tx ->
            one(
                tx.prepare("SELECT " + USER_COLUMNS + " FROM users WHERE id = ?"),
                ps -> ps.setLong(1, id)));
  }

  @Override
  public long lastSeq(long userId) {
    // Asked before the read: a counter flushed meanwhile is in the snapshot the read then takes.
    long unflushed = db.unflushedLastSeq(userId);
    return Math.max(unflushed, db.read(tx -> Sequences.last(tx, userId)));
  }

  @Override
  public long ackedSeq(long userId) {
    // Asked before the read, as in lastSeq.
    long unflushed = db.unflushedAckedSeq(userId);
    return Math.max(unflushed, db.read(tx -> Sequences.storedAcked(tx, userId)));
  }

  @Override
  public void setStatusPreference(long userId, Presence status) {
    db.write(
        tx -> {
          PreparedStatement ps = tx.prepare("UPDATE users SET status_pref = ? WHERE id = ?");
          ps.setInt(1, status.value());
          ps.setLong(2, userId);
          return ps.executeUpdate();
        });
  }

  @Override
  public void setPasswordHash(long userId, String passwordHash) {
    db.write(
        tx -> {
          PreparedStatement ps = tx.prepare("UPDATE users SET password_hash = ? WHERE id = ?");
          ps.setString(1, passwordHash);
          ps.setLong(2, userId);
          return ps.executeUpdate();
        });
  }

  /** What refers to a user, deleted before the user's row: table and its user columns. */
  private static final String[][] REFERENCES = {
    {"receipts", "user_id", "peer_id"},
    {"read_marks", "user_id", "peer_id"},
    {"messages", "sender_id", "recipient_id"},
    {"locations", "user_id"},
    {"session_tokens", "user_id"},
    {"friend_requests", "from_id", "to_id"},
    {"request_outcomes", "user_id", "other_id"},
    {"friendships", "user_id", "friend_id"},
    {"blocks", "user_id", "blocked_id"},
  };

  @Override
  public boolean delete(long userId) {
    return db.write(
        tx -> {
          tx.lockUsers(userId, userId);
          Sequences.beforeDeletingItems(tx);
          for (String[] ref : REFERENCES) {
            StringBuilder sql = new StringBuilder("DELETE FROM ").append(ref[0]).append(" WHERE ");
            for (int i = 1; i < ref.length; i++) {
              sql.append(i > 1 ? " OR " : "").append(ref[i]).append(" = ?");
            }
            PreparedStatement ps = tx.prepare(sql.toString());
            for (int i = 1; i < ref.length; i++) {
              ps.setLong(i, userId);
            }
            ps.executeUpdate();
          }
          PreparedStatement ps = tx.prepare("DELETE FROM users WHERE id = ?");
          ps.setLong(1, userId);
          return ps.executeUpdate() > 0;
        });
  }

  @FunctionalInterface
  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  private static Optional<UserRecord> one(PreparedStatement ps, Binder binder) throws SQLException {
    binder.bind(ps);
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? Optional.of(user(rs)) : Optional.empty();
    }
  }

  static UserRecord user(ResultSet rs) throws SQLException {
    return new UserRecord(
        rs.getLong(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        Gender.valueOf(rs.getInt(5)),
        rs.getString(6),
        Presence.valueOf(rs.getInt(7)),
        rs.getString(8),
        rs.getString(9));
  }
}
