package imps.server.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A connection with its prepared-statement cache, as {@link Work} sees it. Confined to one thread
 * at a time; a {@link Work} must not keep it after returning.
 */
public final class Tx {
  /** Sets a statement's parameters. */
  @FunctionalInterface
  public interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  /** Turns the current row into a value. */
  @FunctionalInterface
  public interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  private final Connection connection;
  private final String lockUsersSql;
  private final SequenceCounters counters;
  private final ConversationIndex conversations;
  private final Map<String, PreparedStatement> statements = new HashMap<>();

  /**
   * @param lockUsersSql the statement {@link #lockUsers} runs (two parameters, the smaller id
   *     first), or null where transactions are serial already
   */
  Tx(Connection connection, String lockUsersSql) {
    this(connection, lockUsersSql, null, null);
  }

  /**
   * @param counters the sequence numbers this (the only) writer keeps in memory, or null where they
   *     are taken from {@code users.last_seq} directly
   * @param conversations the conversation index this (the only) writer fills, or null
   */
  Tx(
      Connection connection,
      String lockUsersSql,
      SequenceCounters counters,
      ConversationIndex conversations) {
    this.connection = connection;
    this.lockUsersSql = lockUsersSql;
    this.counters = counters;
    this.conversations = conversations;
  }

  /** The writer's in-memory sequence numbers, or null ({@link Sequences}). */
  SequenceCounters counters() {
    return counters;
  }

  /** The conversation index this writer fills ({@link ConversationIndex}), or null. */
  ConversationIndex conversations() {
    return conversations;
  }

  /**
   * Locks the two users' rows until the transaction ends, where the database has row locks and
   * several servers may write at once (PostgreSQL). Friendship changes take it so that two servers
   * cannot both miss a mutual request or both pass a friend limit. With a single writer (SQLite)
   * transactions are serial already and this does nothing.
   */
  public void lockUsers(long a, long b) throws SQLException {
    if (lockUsersSql == null) {
      return;
    }
    PreparedStatement ps = prepare(lockUsersSql);
    ps.setLong(1, Math.min(a, b));
    ps.setLong(2, Math.max(a, b));
    ps.executeQuery().close();
  }

  /** Runs a query and maps every row; the result set is closed before returning. */
  public <T> List<T> list(String sql, Binder binder, RowMapper<T> mapper) throws SQLException {
    return list(sql, binder, mapper, Integer.MAX_VALUE);
  }

  /**
   * Runs a query and maps its rows, at most {@code maxRows} of them (the statement's own LIMIT may
   * be larger, {@link LiteralLimit#atLeast}); the result set is closed before returning.
   */
  public <T> List<T> list(String sql, Binder binder, RowMapper<T> mapper, int maxRows)
      throws SQLException {
    PreparedStatement ps = prepare(sql);
    binder.bind(ps);
    List<T> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (out.size() < maxRows && rs.next()) {
        out.add(mapper.map(rs));
      }
    }
    return out;
  }

  /** Runs a query and maps its first row, if any. */
  public <T> Optional<T> one(String sql, Binder binder, RowMapper<T> mapper) throws SQLException {
    PreparedStatement ps = prepare(sql);
    binder.bind(ps);
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? Optional.of(mapper.map(rs)) : Optional.empty();
    }
  }

  /**
   * Runs one statement without parameters to its end on a plain statement (for maintenance such as
   * SQLite's {@code PRAGMA incremental_vacuum}, which a prepared statement would step only once).
   */
  public void run(String sql) throws SQLException {
    try (java.sql.Statement s = connection().createStatement()) {
      s.executeUpdate(sql);
    }
  }

  /** A cached prepared statement for {@code sql}, its parameters cleared. */
  public PreparedStatement prepare(String sql) throws SQLException {
    PreparedStatement ps = statements.get(sql);
    if (ps == null) {
      ps = connection.prepareStatement(sql);
      statements.put(sql, ps);
    } else {
      ps.clearParameters();
    }
    return ps;
  }

  Connection connection() {
    return connection;
  }

  /** Closes the cached statements, leaving the connection open. */
  void closeStatements() {
    for (PreparedStatement ps : statements.values()) {
      try {
        ps.close();
      } catch (SQLException ignored) {
        // closing anyway
      }
    }
    statements.clear();
  }

  /** Closes the statements and the connection. */
  void close() {
    closeStatements();
    try {
      connection.close();
    } catch (SQLException ignored) {
      // closing anyway
    }
  }
}
