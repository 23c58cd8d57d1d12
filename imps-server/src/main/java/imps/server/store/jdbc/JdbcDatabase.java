package imps.server.store.jdbc;

import imps.server.store.StoreException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The database as the JDBC stores see it: writes go through a {@link GroupCommitWriter} (each
 * returns once committed, many sharing one commit), reads through {@link ReadConnections} of their
 * own. The backends build both parts: SQLite with one writer connection, WAL maintenance and {@link
 * FixedReaders}; PostgreSQL with several writer connections and {@link PooledReaders}.
 */
public final class JdbcDatabase implements AutoCloseable {
  private final GroupCommitWriter writer;
  private final ReadConnections readers;

  /** Takes over both: {@link #close} closes them. */
  public JdbcDatabase(GroupCommitWriter writer, ReadConnections readers) {
    this.writer = Objects.requireNonNull(writer, "writer");
    this.readers = Objects.requireNonNull(readers, "readers");
  }

  /**
   * Runs {@code work} on a read connection (auto-commit; sees every committed write).
   *
   * @throws StoreException if it failed
   */
  public <T> T read(Work<T> work) {
    return readers.read(work);
  }

  /**
   * Runs {@code work} in a write transaction and returns once it is committed. See {@link
   * GroupCommitWriter#write} for who commits, and why a write must not start another write.
   *
   * @throws StoreException if it failed (and was rolled back) or the database is closed
   * @throws IllegalStateException if called from inside a write
   */
  public <T> T write(Work<T> work) {
    return writer.write(work);
  }

  /**
   * Queues {@code work} and returns at once; the future completes once it is committed, or
   * exceptionally once it failed. Stages that run on its completion run while a writer connection
   * is held, so they must be short and must not write: hand longer work to another thread.
   */
  public <T> CompletableFuture<T> writeAsync(Work<T> work) {
    return writer.writeAsync(work);
  }

  /** Finishes queued writes, then closes the writer's and the readers' connections. */
  @Override
  public void close() {
    try {
      writer.close();
    } finally {
      readers.close();
    }
  }
}
