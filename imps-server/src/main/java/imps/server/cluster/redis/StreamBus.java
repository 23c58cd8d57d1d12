package imps.server.cluster.redis;

import io.lettuce.core.RedisException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Envelopes between nodes over Redis streams: each instance reads its own stream {@code
 * imps:s:<instance>} with one blocking {@code XREAD} loop and hands each envelope, in stream order,
 * to the {@link Handlers}; others {@code XADD} to it. A reader that loses its connection resumes
 * after the last entry it processed, so it misses nothing the stream still holds.
 *
 * <p>Everything sent goes over one connection, whose commands Redis executes in order: one sender's
 * envelopes to one instance reach its stream in the order they were sent.
 */
final class StreamBus implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StreamBus.class);
  private static final long STREAM_MAX_LEN = 100_000;
  private static final int READ_BATCH = 512;
  private static final Duration READ_BLOCK = Duration.ofSeconds(1);
  private static final long RETRY_AFTER_FAULT_MILLIS = 500;
  private static final String FIELD = "p";

  /** What the reader thread does with each envelope, in stream order. */
  interface Handlers {
    void push(Envelope.PushTo p);

    void kick(Envelope.Kick k);

    void kickAck(Envelope.KickAck a);

    void resync(Envelope.Resync r);
  }

  private final String instance;
  private final StatefulRedisConnection<String, byte[]> connection;
  private final StatefulRedisConnection<String, byte[]> readerConnection;
  private final RedisHealth health;
  private Thread reader;

  /**
   * @param connection the one connection every envelope of this node is sent on
   * @param readerConnection for the blocking reads only
   */
  StreamBus(
      String instance,
      StatefulRedisConnection<String, byte[]> connection,
      StatefulRedisConnection<String, byte[]> readerConnection,
      RedisHealth health) {
    this.instance = instance;
    this.connection = connection;
    this.readerConnection = readerConnection;
    this.health = health;
  }

  /**
   * Appends {@code e} to {@code toInstance}'s stream, asynchronously. A failure is reported to the
   * health; the future completes exceptionally then.
   */
  CompletableFuture<String> send(String toInstance, Envelope e) {
    CompletableFuture<String> sent =
        connection
            .async()
            .xadd(RedisDirectory.streamKey(toInstance), streamArgs(), payload(e))
            .toCompletableFuture();
    sent.exceptionally(
        t -> {
          health.fault("sending to instance " + toInstance, t);
          return null;
        });
    return sent;
  }

  /**
   * Appends {@code e} to {@code toInstance}'s stream and returns once Redis confirmed it; what is
   * sent after this lands behind it.
   *
   * @throws RedisException when Redis fails or times out
   */
  void sendNow(String toInstance, Envelope e) {
    connection.sync().xadd(RedisDirectory.streamKey(toInstance), streamArgs(), payload(e));
  }

  /** Starts reading this instance's stream, from its beginning, on a thread of its own. */
  synchronized void start(Handlers handlers) {
    if (reader != null) {
      throw new IllegalStateException("already started");
    }
    reader =
        new DefaultThreadFactory("imps-redis-reader-" + instance, true)
            .newThread(() -> readLoop(handlers));
    reader.start();
  }

  private void readLoop(Handlers handlers) {
    String lastId = "0-0";
    while (!health.isClosed() && !Thread.currentThread().isInterrupted()) {
      try {
        for (StreamMessage<String, byte[]> m : readAfter(lastId)) {
          lastId = m.getId();
          byte[] payload = m.getBody().get(FIELD);
          if (payload != null) {
            dispatch(Envelope.decode(payload), handlers);
          }
        }
      } catch (RedisException e) {
        if (health.isClosed()) {
          return;
        }
        health.fault("reading this node's stream", e);
        sleep(RETRY_AFTER_FAULT_MILLIS);
      } catch (RuntimeException e) {
        log.error("cluster message failed", e);
      }
    }
  }

  @SuppressWarnings("unchecked") // Lettuce takes the stream offsets as generic varargs
  private List<StreamMessage<String, byte[]>> readAfter(String lastId) {
    return readerConnection
        .sync()
        .xread(
            XReadArgs.Builder.block(READ_BLOCK).count(READ_BATCH),
            XReadArgs.StreamOffset.from(RedisDirectory.streamKey(instance), lastId));
  }

  static void dispatch(Envelope e, Handlers handlers) {
    if (e instanceof Envelope.PushTo p) {
      handlers.push(p);
    } else if (e instanceof Envelope.Kick k) {
      handlers.kick(k);
    } else if (e instanceof Envelope.KickAck a) {
      handlers.kickAck(a);
    } else if (e instanceof Envelope.Resync r) {
      handlers.resync(r);
    } else {
      throw new IllegalArgumentException("no handler for " + e);
    }
  }

  /** Stops the reader (after the read in progress, at most about a second). */
  @Override
  public void close() {
    Thread r;
    synchronized (this) {
      r = reader;
    }
    if (r == null) {
      return;
    }
    r.interrupt();
    try {
      r.join(3000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static XAddArgs streamArgs() {
    return XAddArgs.Builder.maxlen(STREAM_MAX_LEN).approximateTrimming();
  }

  private static Map<String, byte[]> payload(Envelope e) {
    return Map.of(FIELD, Envelope.encode(e));
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
