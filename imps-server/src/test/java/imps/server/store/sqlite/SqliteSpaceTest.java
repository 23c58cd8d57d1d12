package imps.server.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.Gender;
import imps.server.store.NewMessage;
import imps.server.store.NewUser;
import imps.server.store.StoredMessage;
import imps.server.store.UserRecord;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review findings H3 and L9: the SQLite file never shrank after deletions, and its WAL kept its
 * largest size. Now the file uses incremental vacuum and the WAL a size limit.
 */
class SqliteSpaceTest {

  @Test
  void theFileShrinksAfterDeliveredClipsArePurged(@TempDir Path dir) throws Exception {
    try (SqliteStore store = SqliteStore.open(dir, "NORMAL", 512, Clock.systemUTC())) {
      assertThat(pragma(dir, "auto_vacuum")).isEqualTo(2); // INCREMENTAL
      UserRecord a = user(store, "a");
      UserRecord b = user(store, "b");
      List<Long> ids = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        StoredMessage m =
            store
                .messages()
                .append(
                    new NewMessage(a.id(), "a", b.id(), null, new byte[60 * 1024], "", 0, 1, false))
                .message();
        ids.add(m.id());
      }
      store.messages().markDelivered(ids);
      long pagesBefore = pragma(dir, "page_count");
      assertThat(store.messages().purgeDelivered(Instant.ofEpochMilli(2), Instant.ofEpochMilli(2)))
          .isEqualTo(200);
      for (int i = 0; i < 10 && pragma(dir, "freelist_count") > 0; i++) {
        store.reclaimSpace();
      }
      assertThat(pragma(dir, "freelist_count")).isZero();
      // 200 clips of 60 KiB were about 12 MB of pages; they are given back.
      assertThat(pragma(dir, "page_count")).isLessThan(pagesBefore / 4);
    }
  }

  @Test
  void anExistingFileWithoutIncrementalVacuumIsConvertedOnce(@TempDir Path dir) throws Exception {
    Path file = dir.resolve(SqliteStore.FILE_NAME);
    SqliteStore.open(dir, "NORMAL", 512, Clock.systemUTC()).close();
    // As a file made before this change: without auto_vacuum.
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      s.execute("PRAGMA auto_vacuum=NONE");
      s.execute("VACUUM");
    }
    assertThat(pragma(dir, "auto_vacuum")).isZero();
    try (SqliteStore store = SqliteStore.open(dir, "NORMAL", 512, Clock.systemUTC())) {
      assertThat(pragma(dir, "auto_vacuum")).isEqualTo(2);
      assertThat(user(store, "still-works").id()).isPositive();
    }
  }

  private static UserRecord user(SqliteStore store, String name) {
    return store
        .accounts()
        .create(new NewUser(name, name, "hash", Gender.MALE, name + "@x.y"))
        .orElseThrow();
  }

  private static long pragma(Path dir, String name) throws Exception {
    try (Connection c =
            DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteStore.FILE_NAME));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA " + name)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
