package imps.server.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import imps.server.config.Secrets;
import imps.server.store.StoreException;
import imps.server.store.jdbc.CommitBatching;
import imps.server.store.jdbc.Dialect;
import imps.server.store.jdbc.GroupCommitWriter;
import imps.server.store.jdbc.JdbcDatabase;
import imps.server.store.jdbc.JdbcStore;
import imps.server.store.jdbc.Maintenance;
import imps.server.store.jdbc.PooledReaders;
import imps.server.store.jdbc.Tx;
import imps.server.store.jdbc.WriterOptions;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
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
    // Other servers may write the same database; a message is stored in one statement.
    super(db, description, clock, false, Dialect.POSTGRESQL);
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
    return open(
        url,
        user,
        password,
        poolSize,
        writers,
        CommitBatching.upTo(Math.max(1, batchMax)),
        Timeouts.DEFAULT,
        clock);
  }

  /**
   * Time limits on every connection (review finding M6), so that a database that stops answering (a
   * partition, a black hole: no reset ever arrives) fails requests with error 11 within seconds
   * instead of holding them until the kernel gives up on the TCP connection (about 15 minutes).
   *
   * @param statement the server cancels a statement running longer ({@code statement_timeout})
   * @param socket the driver gives up on a reply that takes longer ({@code socketTimeout}); also
   *     the time to connect, and how long a lane tries to find out whether a commit whose
   *     connection was lost happened. Longer than {@code statement}, so that a slow statement is
   *     cancelled by the server (and its connection kept) rather than cut off by the driver.
   */
  public record Timeouts(Duration statement, Duration socket) {
    public static final Timeouts DEFAULT =
        new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(15));

    /** The driver's properties for these limits, plus TCP keepalive. */
    void applyTo(Properties props) {
      long socketSeconds = Math.max(1, (socket.toMillis() + 999) / 1000);
      props.setProperty("tcpKeepAlive", "true");
      props.setProperty("socketTimeout", Long.toString(socketSeconds));
      props.setProperty("connectTimeout", Long.toString(socketSeconds));
      props.setProperty("loginTimeout", Long.toString(socketSeconds));
      // A session whose client vanished mid-transaction does not hold its locks for long.
      props.setProperty(
          "options",
          "-c statement_timeout="
              + statement.toMillis()
              + " -c idle_in_transaction_session_timeout="
              + Math.max(statement.toMillis(), 2 * socket.toMillis()));
    }
  }

  /** {@link #open(String, String, String, int, int, int, Clock)} with {@code timeouts}. */
  public static PostgresStore open(
      String url,
      String user,
      String password,
      int poolSize,
      int writers,
      CommitBatching batching,
      Timeouts timeouts,
      Clock clock) {
    Properties limits = new Properties();
    timeouts.applyTo(limits);
    HikariConfig hc = new HikariConfig();
    limits.forEach((k, v) -> hc.addDataSourceProperty((String) k, v));
    hc.setJdbcUrl(url);
    hc.setUsername(user);
    hc.setPassword(password);
    hc.setMaximumPoolSize(poolSize);
    hc.setMinimumIdle(Math.min(2, poolSize));
    hc.setPoolName("imps-pg-read");
    hc.setAutoCommit(true);
    hc.setReadOnly(true);
    hc.setConnectionTimeout(Math.max(250, timeouts.socket().toMillis()));
    // Fail at start-up, not at the first request, when the database is unreachable.
    hc.setInitializationFailTimeout(10_000);
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(hc);
    } catch (RuntimeException e) {
      throw new StoreException(
          "cannot connect to PostgreSQL at "
              + redact(url)
              + ": "
              + Secrets.scrub(e.getMessage(), password),
          Secrets.scrubbed(e, password));
    }
    try {
      Flyway.configure()
          .dataSource(url, user, password)
          .locations("classpath:db/migration/postgres")
          .load()
          .migrate();
      Properties props = new Properties();
      props.putAll(limits);
      props.setProperty("user", user);
      props.setProperty("password", password);
      // Batched INSERTs (location fixes) become multi-row statements: fewer round trips.
      props.setProperty("reWriteBatchedInserts", "true");
      props.setProperty("ApplicationName", "imps-writer");
      GroupCommitWriter writer =
          new GroupCommitWriter(
              WriterOptions.builder("postgres", () -> writer(url, props))
                  .lanes(writers)
                  .lockUsersSql(LOCK_USERS)
                  .batching(batching)
                  .maintenance(Maintenance.NONE)
                  .outcomes(new PostgresCommitOutcomes(), timeouts.socket())
                  .waitLimit(waitLimit(timeouts))
                  .build());
      JdbcDatabase db = new JdbcDatabase(writer, new PooledReaders("postgres", pool), true);
      return new PostgresStore(db, pool, "PostgreSQL " + redact(url), clock);
    } catch (RuntimeException e) {
      pool.close();
      if (e instanceof StoreException se) {
        throw new StoreException(
            Secrets.scrub(se.getMessage(), password), Secrets.scrubbed(se.getCause(), password));
      }
      throw new StoreException(
          "cannot open PostgreSQL store at "
              + redact(url)
              + ": "
              + Secrets.scrub(e.getMessage(), password),
          Secrets.scrubbed(e, password));
    }
  }

  /**
   * How long a request waits for the writer at most: a commit that meets a partition fails after
   * the socket timeout and then looks for its outcome for as long again, so allow for that and a
   * statement timeout, and at least {@link WriterOptions#DEFAULT_WAIT_LIMIT}.
   */
  static Duration waitLimit(Timeouts timeouts) {
    Duration needed = timeouts.socket().multipliedBy(3).plus(timeouts.statement());
    return needed.compareTo(WriterOptions.DEFAULT_WAIT_LIMIT) > 0
        ? needed
        : WriterOptions.DEFAULT_WAIT_LIMIT;
  }

  private static Connection writer(String url, Properties props) throws SQLException {
    Connection c = DriverManager.getConnection(url, props);
    try (Statement s = c.createStatement()) {
      s.execute("SET synchronous_commit = on");
    }
    return c;
  }

  /**
   * The URL without query parameters, which may carry credentials; nor do messages of the driver
   * carry the password (review finding L10).
   */
  private static String redact(String url) {
    int q = url.indexOf('?');
    return Secrets.redactUri(q < 0 ? url : url.substring(0, q));
  }

  /** Refused: PostgreSQL's own tools make backups ({@code pg_dump}; docs/OPERATIONS.md). */
  @Override
  protected void backup(JdbcDatabase db, Path file) {
    throw new UnsupportedOperationException(
        "PostgreSQL backups are made with pg_dump, not this command (docs/OPERATIONS.md, Backup"
            + " and restore)");
  }

  @Override
  public void close() {
    try {
      super.close();
    } finally {
      pool.close();
    }
  }

  /**
   * Open to this package, so that tests can look at the sessions of the pool's and the writers'
   * connections (the timeouts each one runs with).
   */
  @Override
  protected JdbcDatabase database() {
    return super.database();
  }

  /** Assigns a transaction id, so that the commit writes and flushes a WAL record. */
  @Override
  protected String writeProbeSql() {
    return "SELECT txid_current()";
  }
}
