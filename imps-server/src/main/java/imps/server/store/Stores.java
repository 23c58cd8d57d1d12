package imps.server.store;

import imps.server.config.ServerConfig;
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
          throw new imps.server.config.ConfigException(
              "store 'postgres' is not available in this build yet");
    };
  }
}
