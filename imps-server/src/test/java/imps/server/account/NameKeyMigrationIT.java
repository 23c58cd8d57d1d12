package imps.server.account;

import imps.server.store.PostgresTestDatabase;
import org.junit.jupiter.api.Test;

/** Migration V1_1 (name keys under Unicode case folding) on PostgreSQL. */
class NameKeyMigrationIT {
  @Test
  void existingKeysBecomeTheCaseFoldedOnes() throws Exception {
    try (PostgresTestDatabase db = PostgresTestDatabase.create()) {
      NameKeyMigrationCheck.check(
          db.url(), PostgresTestDatabase.USER, "classpath:db/migration/postgres");
    }
  }
}
