package imps.server.store.postgres;

import imps.server.store.MessageNumberingContract;
import imps.server.store.PostgresTestDatabase;
import imps.server.store.Store;
import java.time.Clock;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresMessageNumberingIT extends MessageNumberingContract {
  @RegisterExtension static final PostgresTestDatabase db = PostgresTestDatabase.perClass();

  @Override
  protected Store openStore(Clock clock) {
    return db.openEmptyStore(clock);
  }
}
