package imps.server.store.jdbc;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the writes of a batch in queue order, those of one {@link BatchableWork.Kind} queued next to
 * each other together (at most {@link #MAX_TOGETHER} at a time), the others one by one.
 */
final class WritesTogether {
  /**
   * At most this many writes run together: as many as {@link Pipelined} sends in one round trip,
   * for which the kinds build their statements.
   */
  static final int MAX_TOGETHER = Pipelined.MAX;

  /** /metrics: imps_store_writes_together_total. */
  private static final Counter TOGETHER =
      Counter.builder("imps.store.writes.together")
          .description("Writes run together with others of their kind (e.g. in one round trip)")
          .register(Metrics.globalRegistry);

  private WritesTogether() {}

  /**
   * The results of a batch's writes, in its order, and how many of them ran together: counted
   * ({@link #committed}) only once the batch committed, since a batch rolled back runs its writes
   * again, one per transaction.
   */
  record Ran(List<Object> results, int together) {
    /** Counts the writes that ran together, their batch committed. */
    void committed() {
      if (together > 0) {
        TOGETHER.increment(together);
      }
    }
  }

  /** The results of {@code batch}'s writes, in its order. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static Ran run(Tx tx, List<PendingWrite<?>> batch) throws SQLException {
    List<Object> results = new ArrayList<>(batch.size());
    int together = 0;
    int i = 0;
    while (i < batch.size()) {
      Work<?> first = batch.get(i).work();
      int end = i + 1;
      if (first instanceof BatchableWork<?> b) {
        while (end < batch.size()
            && end - i < MAX_TOGETHER
            && batch.get(end).work() instanceof BatchableWork<?> next
            && next.together().equals(b.together())) {
          end++;
        }
      }
      if (end - i == 1) {
        results.add(first.run(tx));
      } else {
        List<BatchableWork> works = new ArrayList<>(end - i);
        for (int k = i; k < end; k++) {
          works.add((BatchableWork) batch.get(k).work());
        }
        List<?> out = ((BatchableWork) first).together().runTogether(tx, works);
        if (out.size() != works.size()) {
          throw new IllegalStateException(
              "writes run together returned " + out.size() + " results for " + works.size());
        }
        results.addAll(out);
        together += works.size();
      }
      i = end;
    }
    return new Ran(results, together);
  }
}
