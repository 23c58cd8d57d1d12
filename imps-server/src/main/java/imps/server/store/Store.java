package imps.server.store;

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

  /** A short description for logs, such as the database file or URL. */
  String describe();

  @Override
  void close();
}
