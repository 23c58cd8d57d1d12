package imps.server.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Tells whether a transaction committed when the connection was lost during its COMMIT (review
 * finding M6): the database may have committed it and the reply been lost, or not. Running the
 * writes again blindly would store them twice; answering "not applied" would be false. A backend
 * that can find out (PostgreSQL) implements this; {@link WriterLane} uses it.
 */
public interface CommitOutcomes {
  /** What a lost commit turned out to be. */
  enum Outcome {
    COMMITTED,
    ABORTED,
    /** Not known (yet): the old session may still be alive, or the database unreachable. */
    UNKNOWN
  }

  /** The identity of {@code c}'s server session, taken once after it was opened. */
  Object session(Connection c) throws SQLException;

  /** Called in each transaction before its COMMIT: identifies the transaction. */
  Object transaction(Connection c) throws SQLException;

  /**
   * On {@code fresh}, a new connection: ends {@code oldSession} (so that its transaction can no
   * longer commit) and tells what became of {@code transaction}. Leaves {@code fresh} with no
   * transaction open.
   */
  Outcome resolve(Connection fresh, Object oldSession, Object transaction) throws SQLException;
}
