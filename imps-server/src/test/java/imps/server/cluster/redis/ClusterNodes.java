package imps.server.cluster.redis;

import imps.server.ServerFixture;
import imps.server.config.ServerConfig;
import imps.server.store.PostgresTestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;

/** The config of one cluster node in tests: shared PostgreSQL database, Redis, a node id. */
final class ClusterNodes {
  private ClusterNodes() {}

  static ServerConfig.Builder config(
      String nodeId, PostgresTestDatabase db, String redisUri, Duration nodeTtl)
      throws IOException {
    return ServerFixture.testConfig(Files.createTempDirectory("imps-node-" + nodeId))
        .set(ServerConfig.Key.STORE, "postgres")
        .set(ServerConfig.Key.POSTGRES_URL, db.url())
        .set(ServerConfig.Key.POSTGRES_POOL_SIZE, "4")
        .set(ServerConfig.Key.CLUSTER, "redis")
        .set(ServerConfig.Key.REDIS_URI, redisUri)
        .set(ServerConfig.Key.NODE_ID, nodeId)
        .set(ServerConfig.Key.NODE_TTL, nodeTtl.toMillis() + "ms")
        .set(ServerConfig.Key.WORKER_THREADS, "8");
  }
}
