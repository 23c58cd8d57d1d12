package imps.server.store;

import imps.server.config.ServerConfig;
import imps.server.store.postgres.PostgresStore;
import imps.server.store.sqlite.SqliteStore;
import java.time.Clock;

/** Opens the store the configuration names. */
public final class Stores {
  private Stores() {}

  public static Store open(ServerConfig config, Clock clock) {
    return switch (config.store()) {
      case SQLITE ->
          SqliteStore.open(
              config.dataDir(),
              config.get(ServerConfig.Key.SQLITE_SYNCHRONOUS),
              config.get(ServerConfig.Key.WRITE_BATCH_MAX),
              clock);
      case POSTGRES ->
          PostgresStore.open(
              config.get(ServerConfig.Key.POSTGRES_URL),
              config.get(ServerConfig.Key.POSTGRES_USER),
              config.get(ServerConfig.Key.POSTGRES_PASSWORD),
              config.get(ServerConfig.Key.POSTGRES_POOL_SIZE),
              config.get(ServerConfig.Key.POSTGRES_WRITERS),
              config.get(ServerConfig.Key.WRITE_BATCH_MAX),
              clock);
    };
  }
}
