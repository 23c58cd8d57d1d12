package imps.server.cluster;

import imps.server.cluster.redis.RedisSessionRouter;
import imps.server.config.ServerConfig;
import imps.server.session.DeliveryRecorder;
import imps.server.store.FriendStore;

/** Creates the session router the configuration names. */
public final class Routers {
  private Routers() {}

  /**
   * @param friends used by a cluster router to tell friends of a dead node's users
   * @param recorder flushed by a cluster router before it confirms ending a session
   */
  public static SessionRouter create(
      ServerConfig config, FriendStore friends, DeliveryRecorder recorder) {
    return switch (config.cluster()) {
      case LOCAL -> new InMemorySessionRouter();
      case REDIS ->
          new RedisSessionRouter(
              config.get(ServerConfig.Key.REDIS_URI),
              config.get(ServerConfig.Key.NODE_ID),
              config.get(ServerConfig.Key.NODE_TTL),
              friends,
              recorder);
    };
  }
}
