package imps.server.store.migration;

import imps.server.ServerFixture;
import imps.server.config.ServerConfig;
import imps.server.store.PostgresTestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Migrations V2 and V3 on a PostgreSQL store with data from before them. */
class PostgresSequenceMigrationIT {
  @TempDir Path dir;

  @Test
  void storedItemsGetSequenceNumbersInLoginOrder() throws Exception {
    try (PostgresTestDatabase db = PostgresTestDatabase.create()) {
      SequenceMigrationCheck.check(
          db.url(),
          PostgresTestDatabase.USER,
          "classpath:db/migration/postgres",
          ServerFixture.testConfig(dir)
              .set(ServerConfig.Key.STORE, "postgres")
              .set(ServerConfig.Key.POSTGRES_URL, db.url()));
    }
  }
}
