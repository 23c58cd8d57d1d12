package imps.server.cluster.redis;

import imps.protocol.Presence;
import imps.server.cluster.RoutedSession;
import imps.server.cluster.redis.LocalSessions.LocalSession;
import imps.server.cluster.redis.RedisDirectory.Entry;
import imps.server.delivery.DeliveryRecorder;
import io.lettuce.core.RedisException;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Newest login wins across nodes: ending an older session of a user, here or on another instance.
 *
 * <p>The new node sends a {@link Envelope.Kick} (user, old token) to the old session's instance and
 * waits, bounded, for the {@link Envelope.KickAck}. The old node ends the session ({@code
 * S_ERROR_RSP(7, 0)}, no more pushes), waits until it is closed and its delivery marks are flushed,
 * then acknowledges with what friends saw of it. Only then does the new session read its backlog,
 * so nothing the old session delivered is sent twice.
 */
final class Kicks implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Kicks.class);

  private final String instance;
  private final RedisDirectory directory;
  private final StreamBus bus;
  private final LocalSessions local;
  private final DeliveryRecorder recorder;
  private final Duration timeout;
  private final RedisHealth health;
  private final ConcurrentMap<Long, CompletableFuture<Presence>> pending =
      new ConcurrentHashMap<>();
  private final AtomicLong requestIds = new AtomicLong();

  /** Waits for closes and flushes, so that the stream reader never does. */
  private final ExecutorService worker =
      Executors.newCachedThreadPool(new DefaultThreadFactory("imps-redis-kick", true));

  /**
   * @param recorder flushed before a kicked session is acknowledged, so that the new session's
   *     backlog does not repeat what the old one delivered
   * @param timeout how long a new login waits for the old instance's acknowledgement
   */
  Kicks(
      String instance,
      RedisDirectory directory,
      StreamBus bus,
      LocalSessions local,
      DeliveryRecorder recorder,
      Duration timeout,
      RedisHealth health) {
    this.instance = instance;
    this.directory = directory;
    this.bus = bus;
    this.local = local;
    this.recorder = recorder;
    this.timeout = timeout;
    this.health = health;
  }

  /** Ends an older session on this node and waits until it is closed; returns what friends saw. */
  static Presence endLocal(RoutedSession old) {
    Presence friendsSaw = old.replaceByNewerLogin();
    old.awaitClosed();
    return friendsSaw;
  }

  /** {@link #endLocal}, on the kick worker: for callers that must not wait. */
  void endLocalLater(RoutedSession old) {
    worker.execute(() -> endLocal(old));
  }

  /**
   * Asks the instance holding the older session {@code prev} to end it and waits (bounded) for its
   * answer. A dead instance cannot answer: then friends saw what its entry says until the entry was
   * replaced.
   *
   * @return what friends saw of the user through the older session
   * @throws RedisException when Redis fails
   */
  Presence endRemote(long userId, Entry prev) {
    Presence fromEntry = prev.status().seenByFriends();
    if (!directory.isAlive(prev.instance())) {
      return fromEntry;
    }
    long requestId = requestIds.incrementAndGet();
    CompletableFuture<Presence> ack = new CompletableFuture<>();
    pending.put(requestId, ack);
    try {
      bus.send(prev.instance(), new Envelope.Kick(userId, prev.token(), requestId, instance));
      return ack.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fromEntry;
    } catch (ExecutionException | TimeoutException e) {
      log.warn(
          "instance {} did not confirm ending the older session of user {} within {}",
          prev.instance(),
          userId,
          timeout);
      return fromEntry;
    } finally {
      pending.remove(requestId);
    }
  }

  /** On the stream reader: a newer login elsewhere replaces a session of this node. */
  void onKick(Envelope.Kick k) {
    LocalSession l = local.removeToken(k.userId(), k.token());
    if (l == null) {
      bus.send(k.replyTo(), new Envelope.KickAck(k.requestId(), Presence.OFFLINE));
      return;
    }
    RoutedSession old = l.session();
    Presence before = old.replaceByNewerLogin();
    // Waiting for the close and the delivery marks would stall every push behind this one.
    worker.execute(
        () -> {
          old.awaitClosed();
          recorder.awaitFlushed();
          try {
            bus.send(k.replyTo(), new Envelope.KickAck(k.requestId(), before));
          } catch (RedisException e) {
            health.fault("acknowledging a kick", e);
          }
        });
  }

  /** On the stream reader: another instance ended a session this node's login asked it to. */
  void onAck(Envelope.KickAck a) {
    CompletableFuture<Presence> f = pending.get(a.requestId());
    if (f != null) {
      f.complete(a.before());
    }
  }

  @Override
  public void close() {
    worker.shutdown();
  }
}
