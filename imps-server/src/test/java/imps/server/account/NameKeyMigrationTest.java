package imps.server.account;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Migration V1_1 (name keys under Unicode case folding) on SQLite. */
class NameKeyMigrationTest {
  @TempDir Path dir;

  @Test
  void existingKeysBecomeTheCaseFoldedOnes() throws Exception {
    NameKeyMigrationCheck.check(
        "jdbc:sqlite:" + dir.resolve("imps.db"), "", "classpath:db/migration/sqlite");
  }
}
