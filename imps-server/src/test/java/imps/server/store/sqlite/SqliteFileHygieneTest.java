package imps.server.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.Gender;
import imps.server.LogCapture;
import imps.server.store.NewUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review findings L4 and L9: the data directory and the database files are private to the server's
 * user, and a {@code synchronous} setting that voids the durability guarantee is warned about.
 */
class SqliteFileHygieneTest {
  @TempDir Path tmp;

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void aNewDataDirectoryIsOwnerOnlyAndSoAreTheDatabaseFiles() throws Exception {
    Path data = tmp.resolve("data");
    try (SqliteStore store = SqliteStore.open(data, "FULL", 64, Clock.systemUTC())) {
      store.accounts().create(new NewUser("alice", "alice", "hash", Gender.UNSPECIFIED, "a@b.c"));
      assertThat(mode(data)).isEqualTo("rwx------");
      assertThat(mode(data.resolve(SqliteStore.FILE_NAME))).isEqualTo("rw-------");
      for (String side : new String[] {"-wal", "-shm"}) {
        Path p = data.resolve(SqliteStore.FILE_NAME + side);
        if (Files.exists(p)) {
          assertThat(mode(p)).as(p.toString()).isEqualTo("rw-------");
        }
      }
    }
  }

  @Test
  void anExistingDatabaseReadableByOthersIsMadePrivate() throws Exception {
    Path data = Files.createDirectories(tmp.resolve("old"));
    Path db = data.resolve(SqliteStore.FILE_NAME);
    Files.createFile(db);
    Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-r--r--"));
    try (SqliteStore store = SqliteStore.open(data, "FULL", 64, Clock.systemUTC())) {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(db);
      assertThat(PosixFilePermissions.toString(perms)).isEqualTo("rw-------");
    }
  }

  @Test
  void synchronousBelowFullIsWarnedAbout() {
    for (String level : new String[] {"OFF", "NORMAL"}) {
      try (LogCapture log = LogCapture.of(SqliteStore.class);
          SqliteStore store = SqliteStore.open(tmp.resolve(level), level, 64, Clock.systemUTC())) {
        assertThat(log.warnings()).anySatisfy(w -> assertThat(w).contains("synchronous=" + level));
      }
    }
    try (LogCapture log = LogCapture.of(SqliteStore.class);
        SqliteStore store = SqliteStore.open(tmp.resolve("full"), "FULL", 64, Clock.systemUTC())) {
      assertThat(log.warnings()).isEmpty();
    }
  }
}
