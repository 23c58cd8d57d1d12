package imps.server.store.jdbc;

import imps.server.store.Fix;
import imps.server.store.LocationStore;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;

/** {@link LocationStore} in table {@code locations}, with the shared position on {@code users}. */
public final class JdbcLocationStore implements LocationStore {
  private static final int PURGE_CHUNK = 5000;
  private final JdbcDatabase db;

  public JdbcLocationStore(JdbcDatabase db) {
    this.db = db;
  }

  @Override
  public void record(long userId, List<Fix> fixes, boolean share, Instant recordedAt) {
    if (fixes.isEmpty()) {
      return;
    }
    db.write(
        tx -> {
          PreparedStatement ins =
              tx.prepare(
                  "INSERT INTO locations (user_id, fix_time, location, recorded_at) VALUES (?, ?, ?, ?)");
          for (Fix f : fixes) {
            ins.setLong(1, userId);
            ins.setString(2, f.time());
            ins.setString(3, f.location());
            ins.setLong(4, recordedAt.toEpochMilli());
            ins.addBatch();
          }
          ins.executeBatch();
          if (share) {
            Fix last = fixes.get(fixes.size() - 1);
            PreparedStatement up =
                tx.prepare("UPDATE users SET shared_time = ?, shared_location = ? WHERE id = ?");
            up.setString(1, last.time());
            up.setString(2, last.location());
            up.setLong(3, userId);
            up.executeUpdate();
          }
          return null;
        });
  }

  @Override
  public List<Fix> history(long userId) {
    return db.read(
        tx ->
            tx.list(
                "SELECT fix_time, location FROM locations WHERE user_id = ? ORDER BY id",
                ps -> ps.setLong(1, userId),
                rs -> new Fix(rs.getString(1), rs.getString(2))));
  }

  @Override
  public int purgeRecordedBefore(Instant cutoff) {
    // In chunks, each its own transaction, so that other writes are not held up behind one
    // large delete on a writer connection (SQLite's only one).
    int total = 0;
    while (true) {
      int n =
          db.write(
              tx -> {
                PreparedStatement ps =
                    tx.prepare(
                        "DELETE FROM locations WHERE id IN"
                            + " (SELECT id FROM locations WHERE recorded_at < ? LIMIT "
                            + PURGE_CHUNK
                            + ")");
                ps.setLong(1, cutoff.toEpochMilli());
                return ps.executeUpdate();
              });
      total += n;
      if (n < PURGE_CHUNK) {
        return total;
      }
    }
  }
}
