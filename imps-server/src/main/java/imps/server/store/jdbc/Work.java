package imps.server.store.jdbc;

import java.sql.SQLException;

/**
 * Work inside one transaction (a write) or on one read connection (a read). Must not keep the
 * {@link Tx} after returning.
 */
@FunctionalInterface
public interface Work<T> {
  T run(Tx tx) throws SQLException;
}
