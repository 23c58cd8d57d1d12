package imps.server.cluster.redis;

import imps.protocol.Limits;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Envelopes between nodes over Redis streams: each instance reads its own stream {@code
 * imps:s:<instance>} in one loop (a script that returns the next entries, an {@code XREAD BLOCK} to
 * wait when there are none) and hands each envelope, in stream order, to the {@link Handlers};
 * others {@code XADD} to it. A reader that loses its connection resumes after the last entry it
 * processed, so it misses nothing the stream still holds.
 *
 * <p>Everything sent goes over one connection, whose commands Redis executes in order: one sender's
 * envelopes to one instance reach its stream in the order they were sent.
 *
 * <p>Bounded in bytes (review finding M7): each {@code XADD} trims the stream to as many entries as
 * the largest possible envelope fits in the byte budget ({@link #maxEntries}), so that a stream
 * whose reader is slow, stalled or gone holds at most about that budget. Envelopes trimmed before
 * they were read are noticed (each read also tells, atomically, how many entries were ever trimmed:
 * {@link Position}) and reported to {@link Handlers#trimmed} before the envelopes read after them:
 * nothing acknowledged is lost, since pushes are stored and a resync resends them.
 */
final class StreamBus implements AutoCloseable {
  // /metrics: imps_cluster_stream_lag_seconds (count, sum, max): from an entry's XADD to its read.
  private static final Timer LAG =
      Timer.builder("imps.cluster.stream.lag")
          .description("Time entries waited in this node's Redis stream before it read them")
          .register(Metrics.globalRegistry);

  private static final Logger log = LoggerFactory.getLogger(StreamBus.class);

  /**
   * Bytes a stream entry takes at most: the envelope's header (type, user, mark, sequence number),
   * the largest frame, and Redis's own bookkeeping per entry (id, field name, listpack headers).
   */
  static final long LARGEST_ENTRY_BYTES = 26 + 4 + Limits.MAX_CONTENT_LENGTH + 64;

  private static final int READ_BATCH = 512;
  private static final Duration READ_BLOCK = Duration.ofSeconds(1);
  private static final long RETRY_AFTER_FAULT_MILLIS = 500;
  private static final String FIELD = "p";
  private static final String READ_STREAM = RedisDirectory.script("read-stream.lua");

  /** What the reader thread does with each envelope, in stream order. */
  interface Handlers {
    void push(Envelope.PushTo p);

    void kick(Envelope.Kick k);

    void kickAck(Envelope.KickAck a);

    void resync(Envelope.Resync r);

    void close(Envelope.Close c);

    void listSessions(Envelope.ListSessions l);

    void sessionsPart(Envelope.SessionsPart p);

    void askFigures(Envelope.AskFigures a);

    void figures(Envelope.Figures f);

    /**
     * Envelopes this node had not read yet were trimmed from its stream (its reader fell more than
     * the byte budget behind): pushes, kicks or resyncs may have been lost. Called before the
     * envelopes that follow the gap are handed on.
     */
    void trimmed();
  }

  private final String instance;
  private final StatefulRedisConnection<String, byte[]> connection;
  private final StatefulRedisConnection<String, byte[]> readerConnection;
  private final RedisHealth health;
  private final XAddArgs streamArgs;
  private Thread reader;

  /**
   * @param connection the one connection every envelope of this node is sent on
   * @param readerConnection for the blocking reads only
   * @param maxEntries entries each stream this node sends to is trimmed to ({@link #maxEntries})
   */
  StreamBus(
      String instance,
      StatefulRedisConnection<String, byte[]> connection,
      StatefulRedisConnection<String, byte[]> readerConnection,
      RedisHealth health,
      long maxEntries) {
    this.instance = instance;
    this.connection = connection;
    this.readerConnection = readerConnection;
    this.health = health;
    // Approximate trimming drops whole listpack nodes (at most 100 entries or 4 KiB, or one large
    // entry): the stream keeps at least maxEntries and less than one node more.
    this.streamArgs = XAddArgs.Builder.maxlen(maxEntries).approximateTrimming();
  }

  /** Entries a stream keeps so that it holds at most {@code budgetBytes} (at least one). */
  static long maxEntries(long budgetBytes) {
    return Math.max(1, budgetBytes / LARGEST_ENTRY_BYTES);
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
    Position at = new Position();
    while (!health.isClosed() && !Thread.currentThread().isInterrupted()) {
      try {
        List<Object> read = readAfter(at.lastId);
        List<?> entries = (List<?>) read.get(2);
        if (entries.isEmpty()) {
          awaitEntries(at.lastId);
          continue;
        }
        if (at.advance(
            (Long) read.get(0),
            text(read.get(1)),
            text(((List<?>) entries.get(0)).get(0)),
            entries.size(),
            text(((List<?>) entries.get(entries.size() - 1)).get(0)))) {
          log.warn(
              "entries of stream {} were trimmed before this node read them (it fell behind by"
                  + " more than the stream's byte budget); resending what is stored",
              RedisDirectory.streamKey(instance));
          handlers.trimmed();
        }
        long now = System.currentTimeMillis();
        for (Object entry : entries) {
          recordLag(text(((List<?>) entry).get(0)), now);
          byte[] payload = field((List<?>) ((List<?>) entry).get(1));
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

  /**
   * How long an entry waited in the stream before this node read it: the time in its id (Redis's
   * clock when it was added) to now (this node's clock; NTP keeps the two close).
   */
  private static void recordLag(String id, long nowMillis) {
    int dash = id.indexOf('-');
    try {
      long added = Long.parseLong(dash < 0 ? id : id.substring(0, dash));
      LAG.record(Math.max(0, nowMillis - added), TimeUnit.MILLISECONDS);
    } catch (NumberFormatException e) {
      // not an id of the usual form: nothing to measure
    }
  }

  /**
   * Where the reader is in its stream: the id of the last entry read and its ordinal number (the
   * how-manieth entry ever added to the stream it is), so that trimmed entries it never read are
   * noticed.
   */
  static final class Position {
    String lastId = "0-0";
    long ordinal;

    /**
     * Moves past a batch read atomically with the stream's state.
     *
     * @param trimmed how many entries were ever trimmed from the stream (the oldest ones)
     * @param first the id of the stream's first entry
     * @param batchFirst the id of the batch's first entry
     * @param size the batch's size
     * @param batchLast the id of its last entry
     * @return whether entries between the last one read and the batch were trimmed unread
     */
    boolean advance(long trimmed, String first, String batchFirst, int size, String batchLast) {
      boolean gap = false;
      long batchOrdinal = ordinal + 1;
      if (batchFirst.equals(first)) {
        // Everything before the batch was trimmed, so it is entry trimmed + 1: a gap if more than
        // what was read was trimmed. (A stream deleted and created again starts counting anew:
        // fewer trimmed than read is no gap.)
        batchOrdinal = trimmed + 1;
        gap = trimmed > ordinal;
      }
      // Otherwise the stream still holds an entry up to the last one read, and every entry after
      // it: nothing unread was trimmed.
      ordinal = batchOrdinal + size - 1;
      lastId = batchLast;
      return gap;
    }
  }

  private List<Object> readAfter(String lastId) {
    return readerConnection
        .sync()
        .eval(
            READ_STREAM,
            ScriptOutputType.MULTI,
            new String[] {RedisDirectory.streamKey(instance)},
            RedisDirectory.bytes(lastId),
            RedisDirectory.bytes(Integer.toString(READ_BATCH)));
  }

  /** Waits (at most {@link #READ_BLOCK}) until the stream has an entry after {@code lastId}. */
  @SuppressWarnings("unchecked") // Lettuce takes the stream offsets as generic varargs
  private void awaitEntries(String lastId) {
    readerConnection
        .sync()
        .xread(
            XReadArgs.Builder.block(READ_BLOCK).count(1),
            XReadArgs.StreamOffset.from(RedisDirectory.streamKey(instance), lastId));
  }

  /** The envelope among an entry's fields and values. */
  private static byte[] field(List<?> fieldsAndValues) {
    for (int i = 0; i + 1 < fieldsAndValues.size(); i += 2) {
      if (FIELD.equals(text(fieldsAndValues.get(i)))) {
        return (byte[]) fieldsAndValues.get(i + 1);
      }
    }
    return null;
  }

  private static String text(Object o) {
    return o instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(o);
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
    } else if (e instanceof Envelope.Close c) {
      handlers.close(c);
    } else if (e instanceof Envelope.ListSessions l) {
      handlers.listSessions(l);
    } else if (e instanceof Envelope.SessionsPart p) {
      handlers.sessionsPart(p);
    } else if (e instanceof Envelope.AskFigures a) {
      handlers.askFigures(a);
    } else if (e instanceof Envelope.Figures f) {
      handlers.figures(f);
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

  private XAddArgs streamArgs() {
    return streamArgs;
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
