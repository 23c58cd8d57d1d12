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

  /** A short description for logs, such as the database file or URL. */
  String describe();

  @Override
  void close();
}
