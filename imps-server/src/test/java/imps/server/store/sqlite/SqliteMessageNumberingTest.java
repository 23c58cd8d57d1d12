package imps.server.store.sqlite;

import imps.server.store.MessageNumberingContract;
import imps.server.store.Store;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.io.TempDir;

class SqliteMessageNumberingTest extends MessageNumberingContract {
  @TempDir Path dir;

  @Override
  protected Store openStore(Clock clock) {
    return SqliteStore.open(dir, "NORMAL", 512, clock);
  }
}
