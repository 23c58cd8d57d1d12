package imps.server.store.jdbc;

import imps.server.store.StoreException;

/**
 * Where reads run: auto-commit connections, separate from the writer's, that see every committed
 * write. {@link FixedReaders} keeps a few connections open for good (SQLite); {@link PooledReaders}
 * borrows them from a pool that validates and replaces broken ones (PostgreSQL).
 */
public interface ReadConnections extends AutoCloseable {
  /**
   * Runs {@code work} on a read connection, waiting for one if all are in use.
   *
   * @throws StoreException if the work or the connection failed, or the wait was interrupted
   */
  <T> T read(Work<T> work);

  /** Closes the connections this owns. */
  @Override
  void close();
}
