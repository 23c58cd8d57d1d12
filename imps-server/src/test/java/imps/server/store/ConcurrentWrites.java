package imps.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import imps.server.store.jdbc.JdbcDatabase;
import imps.server.store.jdbc.Work;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Many callers writing through one {@link JdbcDatabase} at once, into a table {@code t (id, who,
 * seq)} with ids in commit order: every write must commit, each caller's in its own order.
 */
public final class ConcurrentWrites {
  private ConcurrentWrites() {}

  /**
   * {@code threads} callers each write {@code each} rows (who, 0..each-1) one after another,
   * running {@code alsoInTx} in every write's transaction; then checks that all rows are there and
   * that each caller's rows are in id order.
   */
  public static void writeAndCheck(JdbcDatabase db, int threads, int each, Work<Void> alsoInTx)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < threads; w++) {
        int who = w;
        done.add(
            pool.submit(
                () -> {
                  for (int seq = 0; seq < each; seq++) {
                    int n = seq;
                    db.write(
                        tx -> {
                          var ps = tx.prepare("INSERT INTO t (who, seq) VALUES (?, ?)");
                          ps.setInt(1, who);
                          ps.setInt(2, n);
                          ps.executeUpdate();
                          return alsoInTx.run(tx);
                        });
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdown();
    }
    for (int w = 0; w < threads; w++) {
      int who = w;
      List<Integer> seqs =
          db.read(
              tx ->
                  tx.list(
                      "SELECT seq FROM t WHERE who = ? ORDER BY id",
                      ps -> ps.setInt(1, who),
                      rs -> rs.getInt(1)));
      assertThat(seqs).as("writes of caller %d, in id order", who).isSorted().hasSize(each);
    }
  }
}
