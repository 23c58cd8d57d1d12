package imps.server.store.jdbc;

import imps.server.store.Fix;
import imps.server.store.LocationStore;
import imps.server.store.TrackSlice;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
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
                  "INSERT INTO locations (user_id, fix_time, location, recorded_at, fix_at, visible)"
                      + " VALUES (?, ?, ?, ?, ?, ?)");
          for (Fix f : fixes) {
            ins.setLong(1, userId);
            ins.setString(2, f.time());
            ins.setString(3, f.location());
            ins.setLong(4, recordedAt.toEpochMilli());
            if (f.at() != null) {
              ins.setLong(5, f.at().toEpochMilli());
            } else {
              ins.setNull(5, Types.BIGINT);
            }
            ins.setInt(6, share ? 1 : 0);
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

  /** The fixes of one track: one user, a time range, recorded since, visible ones or all. */
  private static final String TRACK_RANGE =
      " FROM locations WHERE user_id = ? AND fix_at >= ? AND fix_at <= ? AND recorded_at >= ?"
          + " AND visible >= ?";

  @Override
  public TrackSlice track(
      long userId,
      long fromMillis,
      long toMillis,
      Instant recordedSince,
      boolean withHidden,
      int maxPoints) {
    if (maxPoints < 1) {
      throw new IllegalArgumentException("maxPoints " + maxPoints);
    }
    if (fromMillis > toMillis) {
      return new TrackSlice(0, List.of());
    }
    long since = recordedSince.toEpochMilli();
    int visible = withHidden ? 0 : 1;
    return db.read(
        tx -> {
          PreparedStatement stats =
              tx.prepare("SELECT COUNT(*), MIN(fix_at), MAX(fix_at)" + TRACK_RANGE);
          bindRange(stats, 0, userId, fromMillis, toMillis, since, visible);
          int total;
          long first;
          long last;
          try (ResultSet rs = stats.executeQuery()) {
            rs.next();
            total = rs.getInt(1);
            first = rs.getLong(2);
            last = rs.getLong(3);
          }
          if (total == 0) {
            return new TrackSlice(0, List.of());
          }
          // From here on the range ends at the last fix counted, so that fixes recorded meanwhile
          // cannot add a slice, nor a point beyond maxPoints.
          List<Row> rows;
          if (total <= maxPoints) {
            PreparedStatement all =
                tx.prepare("SELECT fix_at, location, id" + TRACK_RANGE + " ORDER BY fix_at, id");
            bindRange(all, 0, userId, first, last, since, visible);
            rows = rows(all, maxPoints);
          } else {
            rows = new ArrayList<>();
            if (maxPoints > 1) {
              // The fixes of slice k (of n = maxPoints - 1) have k = (at - first) * n / (span + 1):
              // integer division in both databases; the first fix of each slice is kept.
              PreparedStatement sliced =
                  tx.prepare(
                      "SELECT fix_at, location, id FROM (SELECT fix_at, location, id, ROW_NUMBER()"
                          + " OVER (PARTITION BY (fix_at - CAST(? AS BIGINT)) * CAST(? AS BIGINT)"
                          + " / CAST(? AS BIGINT) ORDER BY fix_at, id) AS rn"
                          + TRACK_RANGE
                          + ") t WHERE rn = 1 ORDER BY fix_at, id");
              sliced.setLong(1, first);
              sliced.setLong(2, maxPoints - 1L);
              sliced.setLong(3, last - first + 1);
              bindRange(sliced, 3, userId, first, last, since, visible);
              rows.addAll(rows(sliced, maxPoints - 1));
            }
            PreparedStatement latest =
                tx.prepare(
                    "SELECT fix_at, location, id"
                        + TRACK_RANGE
                        + " ORDER BY fix_at DESC, id DESC LIMIT 1");
            bindRange(latest, 0, userId, first, last, since, visible);
            for (Row r : rows(latest, 1)) {
              if (rows.isEmpty() || rows.get(rows.size() - 1).id() != r.id()) {
                rows.add(r);
              }
            }
          }
          return new TrackSlice(total, rows.stream().map(Row::point).toList());
        });
  }

  /** A track point with its row id (ties in time are ordered by it). */
  private record Row(long id, TrackSlice.Point point) {}

  private static List<Row> rows(PreparedStatement ps, int max) throws SQLException {
    List<Row> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (out.size() < max && rs.next()) {
        out.add(new Row(rs.getLong(3), new TrackSlice.Point(rs.getLong(1), rs.getString(2))));
      }
    }
    return out;
  }

  private static void bindRange(
      PreparedStatement ps, int offset, long userId, long from, long to, long since, int visible)
      throws SQLException {
    ps.setLong(offset + 1, userId);
    ps.setLong(offset + 2, from);
    ps.setLong(offset + 3, to);
    ps.setLong(offset + 4, since);
    ps.setInt(offset + 5, visible);
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
