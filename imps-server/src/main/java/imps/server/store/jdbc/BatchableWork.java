package imps.server.store.jdbc;

import java.sql.SQLException;
import java.util.List;

/**
 * A write that the writer may run together with the writes of the same kind queued right after it
 * in one batch, in fewer round trips to the database than one after another ({@link
 * WritesTogether}). The kind is {@link #together()}: writes whose kinds are equal run together,
 * through the first one's kind.
 */
public interface BatchableWork<T> extends Work<T> {
  /** Runs several writes of one kind together. */
  interface Kind<T> {
    /**
     * Runs {@code works} (at least two, all of this kind, in queue order) in the transaction of
     * {@code tx}, with the effect and the results that running each one's {@link Work#run} in that
     * order would have.
     *
     * @return one result per work, in their order
     * @throws SQLException as {@link Work#run} does; the writer then rolls the batch back and runs
     *     its writes again one per transaction, each through {@link Work#run} alone
     */
    List<T> runTogether(Tx tx, List<BatchableWork<T>> works) throws SQLException;
  }

  /** This write's kind: equal kinds (by {@code equals}) run together. */
  Kind<T> together();
}
