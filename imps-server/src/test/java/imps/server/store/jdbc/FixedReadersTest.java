package imps.server.store.jdbc;

import static imps.server.store.jdbc.SqliteFiles.ordered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import imps.server.store.StoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SQLite's readers: a fixed set of auto-commit connections that keep their statements. */
class FixedReadersTest {
  @TempDir Path dir;

  private FixedReaders open(int count) throws Exception {
    String url = ordered(dir);
    return FixedReaders.open("r", () -> DriverManager.getConnection(url), count);
  }

  @Test
  void aConnectionKeepsItsPreparedStatementsFromOneReadToTheNext() throws Exception {
    try (FixedReaders readers = open(1)) {
      PreparedStatement first = readers.read(tx -> tx.prepare("SELECT COUNT(*) FROM t"));
      PreparedStatement second = readers.read(tx -> tx.prepare("SELECT COUNT(*) FROM t"));
      assertThat(second).isSameAs(first);
      assertThat(second.isClosed()).isFalse();
    }
  }

  @Test
  void readConnectionsAreAutoCommit() throws Exception {
    try (FixedReaders readers = open(2)) {
      boolean autoCommit = readers.read(tx -> tx.connection().getAutoCommit());
      assertThat(autoCommit).isTrue();
    }
  }

  @Test
  void atMostCountReadsRunAtOnceAndTheNextWaitsForAFreeConnection() throws Exception {
    try (FixedReaders readers = open(2)) {
      CountDownLatch bothRunning = new CountDownLatch(2);
      CountDownLatch release = new CountDownLatch(1);
      List<CompletableFuture<Connection>> holding = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        holding.add(
            CompletableFuture.supplyAsync(
                () ->
                    readers.read(
                        tx -> {
                          bothRunning.countDown();
                          awaitQuietly(release);
                          return tx.connection();
                        })));
      }
      assertThat(bothRunning.await(5, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<Connection> third =
          CompletableFuture.supplyAsync(() -> readers.read(Tx::connection));
      Thread.sleep(200);
      assertThat(third).as("waits while both connections are in use").isNotDone();
      release.countDown();
      Connection reused = third.get(5, TimeUnit.SECONDS);
      assertThat(reused).isIn(holding.get(0).join(), holding.get(1).join());
    }
  }

  @Test
  void aFailedReadIsAStoreExceptionAndGivesItsConnectionBack() throws Exception {
    try (FixedReaders readers = open(1)) {
      assertThatThrownBy(() -> readers.read(tx -> tx.prepare("SELECT nope FROM t")))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("read failed on r");
      int one = readers.read(tx -> tx.one("SELECT 1", ps -> {}, rs -> rs.getInt(1)).orElseThrow());
      assertThat(one).as("the connection is back").isEqualTo(1);
    }
  }

  @Test
  void closeClosesEveryConnection() throws Exception {
    FixedReaders readers = open(1);
    Connection c = readers.read(Tx::connection);
    readers.close();
    assertThat(c.isClosed()).isTrue();
  }

  @Test
  void aConnectionThatCannotBeOpenedClosesTheOthers() throws Exception {
    String url = ordered(dir);
    List<Connection> opened = new ArrayList<>();
    ConnectionFactory thirdFails =
        () -> {
          if (opened.size() == 2) {
            throw new SQLException("no more connections");
          }
          Connection c = DriverManager.getConnection(url);
          opened.add(c);
          return c;
        };
    assertThatThrownBy(() -> FixedReaders.open("r", thirdFails, 3))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("no more connections");
    for (Connection c : opened) {
      assertThat(c.isClosed()).isTrue();
    }
  }

  @Test
  void noConnectionsIsRejected() {
    assertThatThrownBy(() -> FixedReaders.open("r", () -> null, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
