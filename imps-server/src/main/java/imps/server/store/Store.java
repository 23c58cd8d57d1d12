package imps.server.store;

import java.util.concurrent.CompletableFuture;

/** One storage backend: all domain stores over one database. */
public interface Store extends AutoCloseable {
  AccountStore accounts();

  FriendStore friends();

  MessageStore messages();

  LocationStore locations();

  SessionTokenStore tokens();

  /** Whether the database answers a trivial query now (for health checks). */
  boolean isReachable();

  /**
   * Gives space freed by purges back to the file system where the backend needs to be told (SQLite:
   * an incremental vacuum of a bounded number of pages); the housekeeping thread calls it after
   * each purge. Does nothing by default.
   */
  default void reclaimSpace() {}

  /**
   * Probes the write path for health checks: a write transaction through the same writer (and group
   * commit) as every request's, committed durably, that changes nothing a user sees. The future
   * completes once it is committed and fails if it could not be; a full disk or a hung writer never
   * completes it, so callers bound the wait. Stores without a writer of their own answer with
   * {@link #isReachable}.
   */
  default CompletableFuture<Void> probeWrite() {
    return isReachable()
        ? CompletableFuture.completedFuture(null)
        : CompletableFuture.failedFuture(new StoreException("store unreachable", null));
  }

  /** Queries and changes for the admin commands. */
  default AdminStore admin() {
    throw new UnsupportedOperationException("this store has no admin queries");
  }

  /** A short description for logs, such as the database file or URL. */
  String describe();

  @Override
  void close();
}
