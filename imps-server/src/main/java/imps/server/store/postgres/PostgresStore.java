package imps.server.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import imps.server.store.StoreException;
import imps.server.store.jdbc.GroupCommitWriter;
import imps.server.store.jdbc.JdbcDatabase;
import imps.server.store.jdbc.JdbcStore;
import imps.server.store.jdbc.Maintenance;
import imps.server.store.jdbc.PooledReaders;
import imps.server.store.jdbc.Tx;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Properties;
import org.flywaydb.core.Flyway;

/**
 * The PostgreSQL store. Reads borrow connections from a HikariCP pool; writes go through a few
 * long-lived writer connections per server ({@code postgres.writers}) that group-commit (see {@link
 * GroupCommitWriter}), so many concurrent requests share one durable commit. Several servers may
 * share the database: friendship changes lock the users' rows (see {@link Tx#lockUsers}) so that
 * concurrent writers cannot break the friend rules.
 *
 * <p>Durability: each writer sets {@code synchronous_commit = on} for its session, so a commit (and
 * so a reply) waits for the WAL flush even where the server's default was relaxed.
 */
public final class PostgresStore extends JdbcStore {
  private static final String LOCK_USERS =
      "SELECT id FROM users WHERE id IN (?, ?) ORDER BY id FOR UPDATE";

  private final HikariDataSource pool;

  private PostgresStore(JdbcDatabase db, HikariDataSource pool, String description, Clock clock) {
    super(db, description, clock);
    this.pool = pool;
  }

  /**
   * Connects, migrates the schema (Flyway takes a database lock, so servers starting together
   * migrate once) and starts the writer.
   *
   * @param poolSize read connections in the pool
   * @param writers writer connections, besides the pool (see {@link GroupCommitWriter})
   */
  public static PostgresStore open(
      String url,
      String user,
      String password,
      int poolSize,
      int writers,
      int batchMax,
      Clock clock) {
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(url);
    hc.setUsername(user);
    hc.setPassword(password);
    hc.setMaximumPoolSize(poolSize);
    hc.setMinimumIdle(Math.min(2, poolSize));
    hc.setPoolName("imps-pg-read");
    hc.setAutoCommit(true);
    hc.setReadOnly(true);
    hc.setConnectionTimeout(10_000);
    // Fail at start-up, not at the first request, when the database is unreachable.
    hc.setInitializationFailTimeout(10_000);
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(hc);
    } catch (RuntimeException e) {
      throw new StoreException("cannot connect to PostgreSQL at " + url + ": " + e.getMessage(), e);
    }
    try {
      Flyway.configure()
          .dataSource(url, user, password)
          .locations("classpath:db/migration/postgres")
          .load()
          .migrate();
      Properties props = new Properties();
      props.setProperty("user", user);
      props.setProperty("password", password);
      // Batched INSERTs (location fixes) become multi-row statements: fewer round trips.
      props.setProperty("reWriteBatchedInserts", "true");
      props.setProperty("ApplicationName", "imps-writer");
      GroupCommitWriter writer =
          new GroupCommitWriter(
              "postgres",
              () -> writer(url, props),
              writers,
              LOCK_USERS,
              Math.max(1, batchMax),
              Maintenance.NONE);
      JdbcDatabase db = new JdbcDatabase(writer, new PooledReaders("postgres", pool));
      return new PostgresStore(db, pool, "PostgreSQL " + redact(url), clock);
    } catch (RuntimeException e) {
      pool.close();
      if (e instanceof StoreException se) {
        throw se;
      }
      throw new StoreException("cannot open PostgreSQL store at " + url + ": " + e.getMessage(), e);
    }
  }

  private static Connection writer(String url, Properties props) throws SQLException {
    Connection c = DriverManager.getConnection(url, props);
    try (Statement s = c.createStatement()) {
      s.execute("SET synchronous_commit = on");
    }
    return c;
  }

  /** The URL without query parameters, which may carry credentials. */
  private static String redact(String url) {
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q);
  }

  @Override
  public void close() {
    try {
      super.close();
    } finally {
      pool.close();
    }
  }

  /** Assigns a transaction id, so that the commit writes and flushes a WAL record. */
  @Override
  protected String writeProbeSql() {
    return "SELECT txid_current()";
  }
}
