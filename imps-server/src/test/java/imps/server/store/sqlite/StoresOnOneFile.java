package imps.server.store.sqlite;

import imps.protocol.Gender;
import imps.server.store.NewUser;
import imps.server.store.UserRecord;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * SQLite stores opened one after another on one file, as a process and the same process started
 * again after a crash: a store is never closed before the next one opens, so the first never writes
 * its in-memory sequence counters out. All are closed after each test, last opened first. Register
 * it on an instance field with {@code @RegisterExtension}.
 */
public final class StoresOnOneFile implements AfterEachCallback {
  /** A clock that never moves: no periodic counter flush happens, only those the rules demand. */
  public static final Clock STOPPED =
      Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);

  private final List<SqliteStore> open = new ArrayList<>();

  /** Opens a store on {@code dir}'s file with the {@link #STOPPED} clock. */
  public SqliteStore start(Path dir) {
    return start(dir, STOPPED);
  }

  /** Opens a store on {@code dir}'s file with {@code clock}. */
  public SqliteStore start(Path dir, Clock clock) {
    SqliteStore s = SqliteStore.open(dir, "NORMAL", 512, clock);
    open.add(s);
    return s;
  }

  /** Closes {@code s} cleanly now (it writes its counters out), and forgets it. */
  public void close(SqliteStore s) {
    s.close();
    open.remove(s);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    // The "crashed" stores too, last, after the stores that replaced them.
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    open.clear();
  }

  /**
   * A clock the test moves, from {@link #STOPPED}, so that periodic flushes happen when it says.
   */
  public static final class MovingClock extends Clock {
    private final AtomicLong millis = new AtomicLong(STOPPED.millis());

    /** Moves the clock {@code by} milliseconds on. */
    public void advance(long by) {
      millis.addAndGet(by);
    }

    @Override
    public long millis() {
      return millis.get();
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  /** A new user of {@code s}. */
  public static UserRecord user(SqliteStore s, String name) {
    return s.accounts()
        .create(new NewUser(name, name, "hash-" + name, Gender.FEMALE, name + "@x.y"))
        .orElseThrow();
  }

  /**
   * The first column of {@code sql}'s first row, its one parameter {@code userId}, read from the
   * file in {@code dir} on a connection of its own; -1 when there is no row.
   */
  public static long column(Path dir, String sql, long userId) throws Exception {
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("imps.db"));
        var ps = c.prepareStatement(sql)) {
      ps.setLong(1, userId);
      try (var rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : -1;
      }
    }
  }

  /** {@code users.last_seq} of {@code userId} as the file holds it. */
  public static long storedLastSeq(Path dir, long userId) throws Exception {
    return column(dir, "SELECT last_seq FROM users WHERE id = ?", userId);
  }
}
