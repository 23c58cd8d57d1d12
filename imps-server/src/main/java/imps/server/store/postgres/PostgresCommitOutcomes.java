package imps.server.store.postgres;

import imps.server.store.jdbc.CommitOutcomes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;

/**
 * PostgreSQL's answer to "did my lost COMMIT happen?": the transaction's id ({@code
 * pg_current_xact_id()}, taken before COMMIT) and {@code pg_xact_status} on a new connection, once
 * the old session is gone for sure ({@code pg_terminate_backend} with a wait; a session is known by
 * its process id and start time, so a reused process id is never terminated). Needs PostgreSQL 14
 * or newer, and that the user may terminate its own sessions (any user may).
 */
final class PostgresCommitOutcomes implements CommitOutcomes {
  /** How long to wait for the old session to end, in milliseconds. */
  private static final long TERMINATE_WAIT_MS = 5000;

  record Session(int pid, Timestamp start) {}

  @Override
  public Object session(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT pid, backend_start FROM pg_stat_activity WHERE pid = pg_backend_pid()")) {
      rs.next();
      Session session = new Session(rs.getInt(1), rs.getTimestamp(2));
      if (!c.getAutoCommit()) {
        c.rollback();
      }
      return session;
    }
  }

  @Override
  public Object transaction(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT pg_current_xact_id()::text")) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Override
  public Outcome resolve(Connection fresh, Object oldSession, Object transaction)
      throws SQLException {
    try {
      if (oldSession instanceof Session old) {
        try (PreparedStatement ps =
            fresh.prepareStatement(
                "SELECT pg_terminate_backend(pid, ?) FROM pg_stat_activity"
                    + " WHERE pid = ? AND backend_start = ?")) {
          ps.setLong(1, TERMINATE_WAIT_MS);
          ps.setInt(2, old.pid());
          ps.setTimestamp(3, old.start());
          try (ResultSet rs = ps.executeQuery()) {
            if (rs.next() && !rs.getBoolean(1)) {
              return Outcome.UNKNOWN; // still there
            }
          }
        }
      }
      try (PreparedStatement ps = fresh.prepareStatement("SELECT pg_xact_status(?::xid8)")) {
        ps.setString(1, (String) transaction);
        try (ResultSet rs = ps.executeQuery()) {
          String status = rs.next() ? rs.getString(1) : null;
          if ("committed".equals(status)) {
            return Outcome.COMMITTED;
          }
          if ("aborted".equals(status)) {
            return Outcome.ABORTED;
          }
          return Outcome.UNKNOWN;
        }
      }
    } finally {
      if (!fresh.getAutoCommit()) {
        fresh.rollback();
      }
    }
  }
}
