package imps.server.store;

import imps.server.store.jdbc.CommitBatching;
import imps.server.store.jdbc.GroupCommitWriter;
import imps.server.store.jdbc.JdbcDatabase;
import imps.server.store.jdbc.Maintenance;
import imps.server.store.jdbc.PooledReaders;
import imps.server.store.jdbc.WriterOptions;
import imps.server.store.postgres.PostgresStore;
import imps.testsupport.Services;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh PostgreSQL database on 127.0.0.1:5432 (user postgres, trust auth), created for one test
 * class and dropped afterwards, so test runs never see each other's rows. Either {@link #create()}
 * it, or register {@link #perClass()} as a static {@code @RegisterExtension} field.
 */
public final class PostgresTestDatabase
    implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
  public static final String USER = "postgres";
  private static final String ADMIN_URL =
      "jdbc:postgresql://" + Services.POSTGRES_HOST + ":" + Services.POSTGRES_PORT + "/postgres";

  private String name;

  private PostgresTestDatabase(String name) {
    this.name = name;
  }

  /** Skips (or fails, when services are required) without PostgreSQL; else creates a database. */
  public static PostgresTestDatabase create() {
    return new PostgresTestDatabase(createDatabase());
  }

  /** A database created before the test class's {@code @BeforeAll} and dropped after it ends. */
  public static PostgresTestDatabase perClass() {
    return new PostgresTestDatabase(null);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    name = createDatabase();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (name != null) {
      close();
    }
  }

  private static String createDatabase() {
    Services.requirePostgres();
    String name =
        "imps_test_"
            + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36)
                .toLowerCase(Locale.ROOT);
    admin("CREATE DATABASE " + name);
    return name;
  }

  /** A store on this database with the tests' settings: 4 readers, 4 writers, batches of 512. */
  public PostgresStore openStore(Clock clock) {
    return PostgresStore.open(url(), USER, "", 4, 4, 512, clock);
  }

  /** {@link #openStore}, with every table emptied first (for contract tests). */
  public PostgresStore openEmptyStore(Clock clock) {
    PostgresStore s = openStore(clock);
    truncate();
    return s;
  }

  /**
   * A {@link JdbcDatabase} of its own on this database (no migrations run): {@code writers} writer
   * connections, batches of up to 64, no maintenance, pooled readers.
   */
  public JdbcDatabase openDatabase(int writers) {
    org.postgresql.ds.PGSimpleDataSource readers = new org.postgresql.ds.PGSimpleDataSource();
    readers.setURL(url());
    readers.setUser(USER);
    GroupCommitWriter writer =
        new GroupCommitWriter(
            WriterOptions.builder("pg", () -> DriverManager.getConnection(url(), USER, ""))
                .lanes(writers)
                .batching(CommitBatching.upTo(64))
                .maintenance(Maintenance.NONE)
                .build());
    return new JdbcDatabase(writer, new PooledReaders("pg", readers));
  }

  public String url() {
    return "jdbc:postgresql://"
        + Services.POSTGRES_HOST
        + ":"
        + Services.POSTGRES_PORT
        + "/"
        + name;
  }

  public String name() {
    return name;
  }

  /** Empties every IMPS table (the schema stays), for tests that share the database. */
  public void truncate() {
    try (Connection c = DriverManager.getConnection(url(), USER, "");
        Statement s = c.createStatement()) {
      s.execute(
          "TRUNCATE users, friendships, friend_requests, request_outcomes, messages, locations,"
              + " address_bans"
              + " RESTART IDENTITY CASCADE");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot truncate " + name, e);
    }
  }

  @Override
  public void close() {
    admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }

  private static void admin(String sql) {
    try (Connection c = DriverManager.getConnection(ADMIN_URL, USER, "");
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + " failed: " + e.getMessage(), e);
    }
  }
}
