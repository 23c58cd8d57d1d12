package imps.server.store.sqlite;

import imps.server.store.AdminStoreContract;
import imps.server.store.Store;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.io.TempDir;

class SqliteAdminStoreTest extends AdminStoreContract {
  @TempDir Path dir;

  @Override
  protected Store openStore(Clock clock) {
    return SqliteStore.open(dir, "NORMAL", 512, clock);
  }
}
