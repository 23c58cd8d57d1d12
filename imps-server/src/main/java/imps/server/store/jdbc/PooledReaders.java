package imps.server.store.jdbc;

import imps.server.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Read connections borrowed from a pooled {@link DataSource} (PostgreSQL through HikariCP, which
 * validates and replaces broken connections), one per read. Each borrow gets a fresh {@link Tx},
 * whose statements close with the read; the driver keeps its own per-connection cache of
 * server-side prepared statements.
 */
public final class PooledReaders implements ReadConnections {
  private final String name;
  private final DataSource pool;

  /**
   * @param name for errors
   * @param pool its connections should be auto-commit; it stays open on {@link #close}, since it
   *     belongs to whoever made it
   */
  public PooledReaders(String name, DataSource pool) {
    this.name = name;
    this.pool = pool;
  }

  @Override
  public <T> T read(Work<T> work) {
    try (Connection c = pool.getConnection()) {
      Tx tx = new Tx(c, null);
      try {
        return work.run(tx);
      } finally {
        tx.closeStatements();
      }
    } catch (SQLException e) {
      throw new StoreException("read failed on " + name + ": " + e.getMessage(), e);
    }
  }

  /** Nothing to close: the pool is its maker's. */
  @Override
  public void close() {}
}
