package imps.server.store;

import imps.testsupport.Services;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A fresh PostgreSQL database on 127.0.0.1:5432 (user postgres, trust auth), created for one test
 * class and dropped afterwards, so test runs never see each other's rows.
 */
public final class PostgresTestDatabase implements AutoCloseable {
  public static final String USER = "postgres";
  private static final String ADMIN_URL =
      "jdbc:postgresql://" + Services.POSTGRES_HOST + ":" + Services.POSTGRES_PORT + "/postgres";

  private final String name;

  private PostgresTestDatabase(String name) {
    this.name = name;
  }

  /** Skips (or fails, when services are required) without PostgreSQL; else creates a database. */
  public static PostgresTestDatabase create() {
    Services.requirePostgres();
    String name =
        "imps_test_"
            + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36)
                .toLowerCase(Locale.ROOT);
    admin("CREATE DATABASE " + name);
    return new PostgresTestDatabase(name);
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
          "TRUNCATE users, friendships, friend_requests, request_outcomes, messages, locations"
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
