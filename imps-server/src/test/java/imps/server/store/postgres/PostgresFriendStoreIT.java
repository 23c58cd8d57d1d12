package imps.server.store.postgres;

import imps.server.store.FriendStoreContract;
import imps.server.store.PostgresTestDatabase;
import imps.server.store.Store;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class PostgresFriendStoreIT extends FriendStoreContract {
  private static PostgresTestDatabase db;

  @BeforeAll
  static void createDatabase() {
    db = PostgresTestDatabase.create();
  }

  @AfterAll
  static void dropDatabase() {
    if (db != null) {
      db.close();
    }
  }

  @Override
  protected Store openStore(Clock clock) {
    Store s = PostgresStore.open(db.url(), PostgresTestDatabase.USER, "", 4, 4, 512, clock);
    db.truncate();
    return s;
  }
}
