package imps.server.cluster;

import imps.server.config.ServerConfig;

/** Creates the session router the configuration names. */
public final class Routers {
  private Routers() {}

  public static SessionRouter create(ServerConfig config) {
    return switch (config.cluster()) {
      case LOCAL -> new InMemorySessionRouter();
      case REDIS ->
          throw new imps.server.config.ConfigException(
              "cluster 'redis' is not available in this build yet");
    };
  }
}
