package imps.server.store.jdbc;

/**
 * LIMIT clauses written into a statement's text, never bound as parameters. Since 3.47 SQLite's
 * planner uses the value of a bound LIMIT, and marks a statement so planned to be prepared again
 * whenever that parameter is bound or the bindings are cleared: through JDBC, at every execution.
 * Measured with sqlite-jdbc 3.51.1 on the login backlog's first query (no rows): 20–26 µs with
 * {@code LIMIT ?} against 5–7 µs with the limit written in (docs/BENCHMARKS.md, "Bound LIMITs"). A
 * limit that varies is rounded up to a power of two, so that each connection's statement cache
 * holds a few variants, and the caller reads no more rows than it wanted ({@link Tx#list(String,
 * Tx.Binder, Tx.RowMapper, int)}).
 */
final class LiteralLimit {
  private LiteralLimit() {}

  /** {@code " LIMIT n"} with n the smallest power of two at least {@code atLeast} (≥ 1). */
  static String atLeast(int atLeast) {
    return " LIMIT " + roundUp(atLeast);
  }

  /** {@code " LIMIT n"} exactly, for a limit fixed by configuration (one value per store). */
  static String exactly(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("negative limit: " + limit);
    }
    return " LIMIT " + limit;
  }

  /** The smallest power of two at least {@code n}, and at least 1. */
  static int roundUp(int n) {
    if (n > 1 << 30) {
      throw new IllegalArgumentException("limit too large: " + n);
    }
    return n <= 1 ? 1 : Integer.highestOneBit(n - 1) << 1;
  }
}
