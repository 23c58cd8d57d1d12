package imps.server.cluster.redis;

import imps.server.cluster.NodeFigures;
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
 * The admin command {@code stats} across nodes, as {@link SessionLists} does {@code sessions list}:
 * the asking node sends a {@link Envelope.AskFigures} to every other live instance's stream; each
 * answers with one {@link Envelope.Figures} (a few named numbers); the asker waits, bounded, until
 * every instance it asked has answered. Nothing of this is on a client's path.
 */
final class FigureRequests {
  private static final Logger log = LoggerFactory.getLogger(FigureRequests.class);

  /** One request in progress: the answers so far, and who has not answered yet. */
  private static final class Gathering {
    final List<NodeFigures> answers = new ArrayList<>();
    final Set<String> waitingFor;
    final CompletableFuture<Void> done = new CompletableFuture<>();

    Gathering(Set<String> instances) {
      this.waitingFor = new HashSet<>(instances);
    }

    synchronized void add(Envelope.Figures f) {
      if (waitingFor.remove(f.from())) {
        answers.add(f.figures());
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
  private volatile Supplier<NodeFigures> local;

  FigureRequests(String instance, RedisDirectory directory, StreamBus bus, RedisHealth health) {
    this.instance = instance;
    this.directory = directory;
    this.bus = bus;
    this.health = health;
  }

  void answerFrom(Supplier<NodeFigures> source) {
    this.local = source;
  }

  /**
   * {@code mine} followed by the figures of every other live instance that answers within {@code
   * wait}; only {@code mine} while Redis cannot be reached (the fault is reported to the router's
   * health, which the caller can ask).
   */
  List<NodeFigures> gather(NodeFigures mine, Duration wait) {
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
      health.fault("asking the other nodes for their figures", e);
      others.clear();
    }
    List<NodeFigures> out = new ArrayList<>();
    out.add(mine);
    if (others.isEmpty()) {
      return out;
    }
    long requestId = requestIds.incrementAndGet();
    Gathering g = new Gathering(others);
    pending.put(requestId, g);
    try {
      for (String other : others) {
        bus.sendNow(other, new Envelope.AskFigures(requestId, instance));
      }
      g.done.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RedisException e) {
      health.fault("asking the other nodes for their figures", e);
    } catch (ExecutionException | TimeoutException e) {
      synchronized (g) {
        log.warn("stats: no answer within {} from {}", wait, g.waitingFor);
      }
    } finally {
      pending.remove(requestId);
    }
    synchronized (g) {
      out.addAll(g.answers);
    }
    return out;
  }

  /** On the stream reader: another instance asks for this node's figures. */
  void onRequest(Envelope.AskFigures a) {
    Supplier<NodeFigures> source = local;
    if (source == null) {
      return; // not serving yet: the asker leaves this node out
    }
    try {
      bus.send(a.replyTo(), new Envelope.Figures(a.requestId(), instance, source.get()));
    } catch (RedisException e) {
      health.fault("answering a stats request", e);
    }
  }

  /** On the stream reader: another instance's answer. */
  void onAnswer(Envelope.Figures f) {
    Gathering g = pending.get(f.requestId());
    if (g != null) {
      g.add(f);
    }
  }
}
