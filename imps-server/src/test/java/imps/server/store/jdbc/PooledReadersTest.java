package imps.server.store.jdbc;

import static imps.server.store.jdbc.SqliteFiles.ordered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import imps.server.store.StoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/** PostgreSQL's readers, over any DataSource: a connection borrowed per read and given back. */
class PooledReadersTest {
  @TempDir Path dir;

  /** Hands out a new connection per call, as a pool would lend one, and remembers each. */
  private static final class RecordingDataSource extends SQLiteDataSource {
    final List<Connection> lent = new ArrayList<>();

    @Override
    public Connection getConnection() throws SQLException {
      Connection c = super.getConnection();
      lent.add(c);
      return c;
    }
  }

  private RecordingDataSource pool;
  private PooledReaders readers;

  @BeforeEach
  void open() throws Exception {
    pool = new RecordingDataSource();
    pool.setUrl(ordered(dir));
    readers = new PooledReaders("p", pool);
  }

  private int selectOne() {
    return readers.read(tx -> tx.one("SELECT 1", b -> {}, rs -> rs.getInt(1)).orElseThrow());
  }

  @Test
  void eachReadBorrowsAConnectionAndGivesItBackWithItsStatementsClosed() throws Exception {
    PreparedStatement ps =
        readers.read(
            tx -> {
              PreparedStatement s = tx.prepare("SELECT COUNT(*) FROM t");
              s.executeQuery().close();
              return s;
            });
    assertThat(ps.isClosed()).isTrue();
    assertThat(pool.lent).hasSize(1);
    assertThat(pool.lent.get(0).isClosed()).as("given back to the pool").isTrue();
    assertThat(selectOne()).isEqualTo(1);
    assertThat(pool.lent).hasSize(2);
  }

  @Test
  void aFailedReadIsAStoreExceptionAndStillGivesItsConnectionBack() throws Exception {
    assertThatThrownBy(() -> readers.read(tx -> tx.prepare("SELECT nope FROM t")))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("read failed on p");
    assertThat(pool.lent).hasSize(1);
    assertThat(pool.lent.get(0).isClosed()).isTrue();
  }

  @Test
  void aPoolThatCannotLendIsAStoreException() {
    pool.setUrl("jdbc:sqlite:" + dir.resolve("missing/dir/x.db"));
    assertThatThrownBy(() -> readers.read(tx -> 1)).isInstanceOf(StoreException.class);
  }

  @Test
  void closeLeavesThePoolToItsMaker() throws Exception {
    readers.close();
    assertThat(selectOne()).isEqualTo(1);
  }
}
