package imps.server.store.migration;

import imps.server.ServerFixture;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Migrations V2 and V3 on an SQLite store with data from before them. */
class SqliteSequenceMigrationIT {
  @TempDir Path dir;

  @Test
  void storedItemsGetSequenceNumbersInLoginOrder() throws Exception {
    SequenceMigrationCheck.check(
        "jdbc:sqlite:" + dir.resolve("imps.db"),
        "",
        "classpath:db/migration/sqlite",
        ServerFixture.testConfig(dir));
  }
}
