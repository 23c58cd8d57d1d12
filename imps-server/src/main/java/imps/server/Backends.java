package imps.server;

import imps.server.cluster.InMemorySessionRouter;
import imps.server.cluster.SessionRouter;
import imps.server.cluster.redis.RedisSessionRouter;
import imps.server.config.ServerConfig;
import imps.server.delivery.DeliveryRecorder;
import imps.server.store.FriendStore;
import imps.server.store.Store;
import imps.server.store.jdbc.CommitBatching;
import imps.server.store.postgres.PostgresStore;
import imps.server.store.sqlite.SqliteStore;
import java.time.Clock;

/**
 * Picks the backends the configuration names: the store and the session router. Part of the wiring,
 * so that the abstract packages ({@code store}, {@code cluster}) never depend on their backends.
 */
public final class Backends {
  private Backends() {}

  /** Opens (creating and migrating if needed) the configured store. */
  public static Store openStore(ServerConfig config, Clock clock) {
    return switch (config.store()) {
      case SQLITE ->
          SqliteStore.open(
              config.dataDir(),
              config.get(ServerConfig.Key.SQLITE_SYNCHRONOUS),
              batching(config),
              clock);
      case POSTGRES ->
          PostgresStore.open(
              config.get(ServerConfig.Key.POSTGRES_URL),
              config.get(ServerConfig.Key.POSTGRES_USER),
              config.get(ServerConfig.Key.POSTGRES_PASSWORD),
              config.get(ServerConfig.Key.POSTGRES_POOL_SIZE),
              config.get(ServerConfig.Key.POSTGRES_WRITERS),
              batching(config),
              new PostgresStore.Timeouts(
                  config.get(ServerConfig.Key.POSTGRES_STATEMENT_TIMEOUT),
                  config.get(ServerConfig.Key.POSTGRES_SOCKET_TIMEOUT)),
              clock);
    };
  }

  private static CommitBatching batching(ServerConfig config) {
    return new CommitBatching(
        config.get(ServerConfig.Key.WRITE_BATCH_MAX),
        config.get(ServerConfig.Key.WRITE_BATCH_DELAY));
  }

  /**
   * The configured session router.
   *
   * @param friends used by a cluster router to tell friends of a dead node's users
   * @param recorder flushed by a cluster router before it confirms ending a session
   */
  public static SessionRouter openRouter(
      ServerConfig config, FriendStore friends, DeliveryRecorder recorder) {
    return switch (config.cluster()) {
      case LOCAL -> new InMemorySessionRouter();
      case REDIS ->
          RedisSessionRouter.connect(
              config.get(ServerConfig.Key.REDIS_URI),
              config.get(ServerConfig.Key.NODE_ID),
              config.get(ServerConfig.Key.NODE_TTL),
              config.get(ServerConfig.Key.REDIS_STREAM_MAX_BYTES),
              friends,
              recorder);
    };
  }
}
