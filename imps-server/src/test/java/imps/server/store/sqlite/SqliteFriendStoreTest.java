package imps.server.store.sqlite;

import imps.server.store.FriendStoreContract;
import imps.server.store.Store;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.io.TempDir;

class SqliteFriendStoreTest extends FriendStoreContract {
  @TempDir Path dir;

  @Override
  protected Store openStore(Clock clock) {
    return SqliteStore.open(dir, "NORMAL", 512, clock);
  }
}
