package imps.server.store.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Copies of one statement sent to the database together, in one round trip (PostgreSQL: pgjdbc
 * sends the statements of a query joined by {@code ;} at once and reads their answers in one go).
 * Each statement sees what the ones before it wrote, as separate statements of one transaction do;
 * an error in one fails the call (and, on PostgreSQL, the transaction).
 */
final class Pipelined {
  /** At most this many statements per round trip; more are sent in several. */
  static final int MAX = 32;

  /** Binds the parameters of the {@code k}th statement from parameter {@code first} on. */
  @FunctionalInterface
  interface Binder {
    /** Returns the index of the parameter after the statement's. */
    int bind(PreparedStatement ps, int first, int k) throws SQLException;
  }

  // The joined statements, by statement and count, each built when first needed and kept, since
  // Tx caches its prepared statements by the string.
  private static final Map<String, String[]> JOINED = new ConcurrentHashMap<>();

  private Pipelined() {}

  /**
   * Runs {@code n} copies of {@code sql} ({@link #MAX} per round trip), the {@code k}th bound by
   * {@code binder}, and maps every row each returns.
   *
   * @return the rows of each statement, in their order
   */
  static <T> List<List<T>> run(Tx tx, String sql, int n, Binder binder, Tx.RowMapper<T> rows)
      throws SQLException {
    List<List<T>> out = new ArrayList<>(n);
    for (int from = 0; from < n; from += MAX) {
      int count = Math.min(MAX, n - from);
      PreparedStatement ps = tx.prepare(joined(sql, count));
      int i = 1;
      for (int k = from; k < from + count; k++) {
        i = binder.bind(ps, i, k);
      }
      boolean hasRows = ps.execute();
      for (int k = 0; k < count; k++) {
        if (!hasRows) {
          throw new SQLException("no answer for statement " + (from + k) + " of " + n);
        }
        List<T> mapped = new ArrayList<>(1);
        try (ResultSet rs = ps.getResultSet()) {
          while (rs.next()) {
            mapped.add(rows.map(rs));
          }
        }
        out.add(mapped);
        hasRows = ps.getMoreResults();
      }
    }
    return out;
  }

  private static String joined(String sql, int count) {
    if (count == 1) {
      return sql;
    }
    String[] byCount = JOINED.computeIfAbsent(sql, s -> new String[MAX + 1]);
    String joined = byCount[count];
    if (joined == null) {
      // A race builds it twice at worst; strings are safely shared.
      joined = String.join(";", Collections.nCopies(count, sql));
      byCount[count] = joined;
    }
    return joined;
  }
}
