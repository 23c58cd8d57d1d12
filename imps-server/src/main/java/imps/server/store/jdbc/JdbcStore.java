package imps.server.store.jdbc;

import imps.server.store.AccountStore;
import imps.server.store.AdminStore;
import imps.server.store.FriendStore;
import imps.server.store.LocationStore;
import imps.server.store.MessageStore;
import imps.server.store.SessionTokenStore;
import imps.server.store.Store;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;

/** All domain stores over one {@link JdbcDatabase}. */
public class JdbcStore implements Store {
  private final JdbcDatabase db;
  private final String description;
  private final AccountStore accounts;
  private final FriendStore friends;
  private final MessageStore messages;
  private final LocationStore locations;
  private final SessionTokenStore tokens;
  private final AdminStore admin;

  /**
   * @param soleWriter whether this process is the database's only writer (an embedded database),
   *     which lets stores keep bounds of what they wrote ({@link JdbcMessageStore})
   * @param dialect the engine's, where the stores' statements differ ({@link Dialect})
   */
  protected JdbcStore(
      JdbcDatabase db, String description, Clock clock, boolean soleWriter, Dialect dialect) {
    this.db = db;
    this.description = description;
    this.accounts = new JdbcAccountStore(db, clock);
    this.friends = new JdbcFriendStore(db, clock);
    this.messages = new JdbcMessageStore(db, soleWriter, dialect);
    this.locations = new JdbcLocationStore(db);
    this.tokens = new JdbcSessionTokenStore(db);
    this.admin = new JdbcAdminStore(db, this::backup);
  }

  @Override
  public AdminStore admin() {
    return admin;
  }

  /**
   * Writes a consistent copy of the database to {@code file}; by default refused (the database has
   * its own tools).
   */
  protected void backup(JdbcDatabase db, Path file) {
    throw new UnsupportedOperationException(
        "backups of this store are made with the database's own tools (docs/OPERATIONS.md)");
  }

  /** The database, for a backend's own maintenance. */
  protected JdbcDatabase database() {
    return db;
  }

  @Override
  public AccountStore accounts() {
    return accounts;
  }

  @Override
  public FriendStore friends() {
    return friends;
  }

  @Override
  public MessageStore messages() {
    return messages;
  }

  @Override
  public LocationStore locations() {
    return locations;
  }

  @Override
  public SessionTokenStore tokens() {
    return tokens;
  }

  @Override
  public boolean isReachable() {
    try {
      return db.read(
          tx -> {
            try (java.sql.ResultSet rs = tx.prepare("SELECT 1").executeQuery()) {
              return rs.next();
            }
          });
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public CompletableFuture<Void> probeWrite() {
    String sql = writeProbeSql();
    if (sql == null) {
      return Store.super.probeWrite();
    }
    return db.writeAsync(
        tx -> {
          tx.prepare(sql).execute();
          return null;
        });
  }

  /**
   * The statement of {@link #probeWrite}: one that makes its transaction write and commit durably
   * without changing data; {@code null} to probe with a read only.
   */
  protected String writeProbeSql() {
    return null;
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public void close() {
    db.close();
  }
}
