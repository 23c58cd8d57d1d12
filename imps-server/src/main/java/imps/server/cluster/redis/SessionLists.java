package imps.server.cluster.redis;

import imps.server.cluster.SessionInfo;
import io.lettuce.core.RedisException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin command {@code sessions list} across nodes. The asking node sends a {@link
 * Envelope.ListSessions} to every other live instance's stream; each answers with its sessions in
 * {@link Envelope.SessionsPart}s of at most {@link #PART} sessions (so that no stream entry grows
 * with the node's size), the last one marked. The asker waits, bounded, until every instance it
 * asked has sent its last part. Nothing of this is on a client's path.
 */
final class SessionLists {
  private static final Logger log = LoggerFactory.getLogger(SessionLists.class);

  /** Sessions per answering envelope: about 100 bytes each, far below the largest push. */
  static final int PART = 200;

  /** One request in progress: what has come, and from whom the last part is still awaited. */
  private static final class Gathering {
    final List<SessionInfo> sessions = new ArrayList<>();
    final Set<String> waitingFor;
    final CompletableFuture<Void> done = new CompletableFuture<>();

    Gathering(Set<String> instances) {
      this.waitingFor = new HashSet<>(instances);
    }

    synchronized void add(Envelope.SessionsPart p) {
      if (!waitingFor.contains(p.from())) {
        return;
      }
      sessions.addAll(p.sessions());
      if (p.last()) {
        waitingFor.remove(p.from());
        if (waitingFor.isEmpty()) {
          done.complete(null);
        }
      }
    }
  }

  private final String instance;
  private final RedisDirectory directory;
  private final StreamBus bus;
  private final RedisHealth health;
  private final ConcurrentMap<Long, Gathering> pending = new ConcurrentHashMap<>();
  private final AtomicLong requestIds = new AtomicLong();
  private volatile Supplier<List<SessionInfo>> local = List::of;

  SessionLists(String instance, RedisDirectory directory, StreamBus bus, RedisHealth health) {
    this.instance = instance;
    this.directory = directory;
    this.bus = bus;
    this.health = health;
  }

  void answerFrom(Supplier<List<SessionInfo>> source) {
    this.local = source;
  }

  /**
   * {@code mine} followed by the sessions of every other live instance that answers within {@code
   * wait}; only {@code mine} while Redis cannot be reached (the fault is reported to the router's
   * health, which the caller can ask).
   */
  List<SessionInfo> gather(List<SessionInfo> mine, Duration wait) {
    Set<String> others = new HashSet<>();
    try {
      if (health.isHealthy()) {
        for (String i : directory.instances()) {
          if (!i.equals(instance) && directory.isAlive(i)) {
            others.add(i);
          }
        }
      }
    } catch (RedisException e) {
      health.fault("asking the other nodes for their sessions", e);
      others.clear();
    }
    List<SessionInfo> out = new ArrayList<>(mine);
    if (others.isEmpty()) {
      return out;
    }
    long requestId = requestIds.incrementAndGet();
    Gathering g = new Gathering(others);
    pending.put(requestId, g);
    try {
      for (String other : others) {
        bus.sendNow(other, new Envelope.ListSessions(requestId, instance));
      }
      g.done.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RedisException e) {
      health.fault("asking the other nodes for their sessions", e);
    } catch (ExecutionException | TimeoutException e) {
      synchronized (g) {
        log.warn("sessions list: no complete answer within {} from {}", wait, g.waitingFor);
      }
    } finally {
      pending.remove(requestId);
    }
    synchronized (g) {
      out.addAll(g.sessions);
    }
    return out;
  }

  /** On the stream reader: another instance asks for this node's sessions. */
  void onRequest(Envelope.ListSessions r) {
    List<SessionInfo> all = local.get();
    try {
      int from = 0;
      do {
        int to = Math.min(all.size(), from + PART);
        bus.send(
            r.replyTo(),
            new Envelope.SessionsPart(
                r.requestId(), instance, to == all.size(), all.subList(from, to)));
        from = to;
      } while (from < all.size());
    } catch (RedisException e) {
      health.fault("answering a sessions list", e);
    }
  }

  /** On the stream reader: part of another instance's answer. */
  void onPart(Envelope.SessionsPart p) {
    Gathering g = pending.get(p.requestId());
    if (g != null) {
      g.add(p);
    }
  }
}
