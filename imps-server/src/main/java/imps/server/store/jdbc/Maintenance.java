package imps.server.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Work that {@link GroupCommitWriter} runs between two batches, outside any transaction, on its
 * first writer connection. It runs only on the writer thread, and only if something was committed
 * on that connection since its last run: after each batch the writer thread commits there, and
 * within about 100 ms of a commit by a caller. It decides itself how often to act. SQLite uses it
 * to finish WAL checkpoints at a moment when no write is in progress.
 */
@FunctionalInterface
public interface Maintenance {
  /** No maintenance. */
  Maintenance NONE = writer -> {};

  /** Runs on {@code writer} (auto-commit off); a failure is logged and otherwise ignored. */
  void run(Connection writer) throws SQLException;
}
