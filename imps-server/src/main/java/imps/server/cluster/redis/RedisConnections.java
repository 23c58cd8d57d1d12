package imps.server.cluster.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;

/**
 * The node's two Redis connections: one for every command and every envelope sent (so that they
 * stay in order), one for the blocking stream reads. While Redis is away, commands fail at once (or
 * time out after {@link #TIMEOUT}) instead of queueing, so that local users keep being served;
 * Lettuce reconnects by itself.
 *
 * <p>At most once: with {@code REJECT_COMMANDS}, commands in flight when the connection drops fail
 * at once and are not re-sent after the reconnect (Lettuce's at-least-once replay would put an
 * {@code XADD} that Redis had executed into a stream twice), and a command that timed out is done
 * and never re-sent either. Callers treat such a failure as "may or may not have happened" (a push
 * may have been lost: the recipient is resynchronised). {@code StreamResendIT} pins this down.
 */
record RedisConnections(
    RedisClient client,
    String host,
    StatefulRedisConnection<String, byte[]> commands,
    StatefulRedisConnection<String, byte[]> reader)
    implements AutoCloseable {

  static final Duration TIMEOUT = Duration.ofSeconds(2);

  /**
   * Connects to {@code redisUri}.
   *
   * @throws io.lettuce.core.RedisConnectionException when Redis cannot be reached
   */
  static RedisConnections open(String redisUri) {
    RedisURI uri = RedisURI.create(redisUri);
    uri.setTimeout(TIMEOUT);
    RedisClient client = RedisClient.create(uri);
    client.setOptions(
        ClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            // Keepalive: a black-holed Redis is found out even on an idle connection.
            .socketOptions(SocketOptions.builder().connectTimeout(TIMEOUT).keepAlive(true).build())
            .timeoutOptions(TimeoutOptions.enabled(TIMEOUT))
            .build());
    RedisCodec<String, byte[]> codec = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
    StatefulRedisConnection<String, byte[]> commands = null;
    try {
      commands = client.connect(codec);
      return new RedisConnections(client, uri.getHost(), commands, client.connect(codec));
    } catch (RuntimeException e) {
      if (commands != null) {
        commands.close();
      }
      client.shutdown(Duration.ZERO, TIMEOUT);
      throw e;
    }
  }

  @Override
  public void close() {
    reader.close();
    commands.close();
    client.shutdown(Duration.ZERO, TIMEOUT);
  }
}
