package imps.server.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/** Opens a configured connection; each call a new one. */
@FunctionalInterface
public interface ConnectionFactory {
  Connection open() throws SQLException;
}
