package imps.server.cluster.redis;

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
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One kind of admin question put to every other live instance ({@link SessionLists}, {@link
 * FigureRequests}): the asker sends the question, numbered, to each instance's stream; each answers
 * into the asker's stream in one or more parts, the last one marked; the asker waits, bounded,
 * until every instance it asked has sent its last part, and returns what came. Nothing of this is
 * on a client's path.
 *
 * @param <T> what an answer holds
 */
final class NodeQuestions<T> {
  private static final Logger log = LoggerFactory.getLogger(NodeQuestions.class);

  /** One question in progress: what has come, and from whom the last part is still awaited. */
  private static final class Gathering<T> {
    final List<T> answers = new ArrayList<>();
    final Set<String> waitingFor;
    final CompletableFuture<Void> done = new CompletableFuture<>();

    Gathering(Set<String> instances) {
      this.waitingFor = new HashSet<>(instances);
    }

    synchronized void add(String from, List<T> part, boolean last) {
      if (!waitingFor.contains(from)) {
        return;
      }
      answers.addAll(part);
      if (last) {
        waitingFor.remove(from);
        if (waitingFor.isEmpty()) {
          done.complete(null);
        }
      }
    }
  }

  private final String command;
  private final String what;
  private final String instance;
  private final RedisDirectory directory;
  private final StreamBus bus;
  private final RedisHealth health;
  private final BiFunction<Long, String, Envelope> question;
  private final ConcurrentMap<Long, Gathering<T>> pending = new ConcurrentHashMap<>();
  private final AtomicLong requestIds = new AtomicLong();

  /**
   * @param command the admin command asking, for the log
   * @param what what the other nodes are asked for, for the log
   * @param question the envelope of the question, from its request id and this instance (where to
   *     reply)
   */
  NodeQuestions(
      String command,
      String what,
      String instance,
      RedisDirectory directory,
      StreamBus bus,
      RedisHealth health,
      BiFunction<Long, String, Envelope> question) {
    this.command = command;
    this.what = what;
    this.instance = instance;
    this.directory = directory;
    this.bus = bus;
    this.health = health;
    this.question = question;
  }

  /**
   * {@code mine} followed by the answers of every other live instance that answers within {@code
   * wait}; only {@code mine} while Redis cannot be reached (the fault is reported to the router's
   * health, which the caller can ask).
   */
  List<T> gather(List<T> mine, Duration wait) {
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
      health.fault("asking the other nodes for their " + what, e);
      others.clear();
    }
    List<T> out = new ArrayList<>(mine);
    if (others.isEmpty()) {
      return out;
    }
    long requestId = requestIds.incrementAndGet();
    Gathering<T> g = new Gathering<>(others);
    pending.put(requestId, g);
    try {
      for (String other : others) {
        bus.sendNow(other, question.apply(requestId, instance));
      }
      g.done.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RedisException e) {
      health.fault("asking the other nodes for their " + what, e);
    } catch (ExecutionException | TimeoutException e) {
      synchronized (g) {
        log.warn("{}: no complete answer within {} from {}", command, wait, g.waitingFor);
      }
    } finally {
      pending.remove(requestId);
    }
    synchronized (g) {
      out.addAll(g.answers);
    }
    return out;
  }

  /** On the stream reader: a part of {@code from}'s answer to the question {@code requestId}. */
  void onAnswer(long requestId, String from, List<T> part, boolean last) {
    Gathering<T> g = pending.get(requestId);
    if (g != null) {
      g.add(from, part, last);
    }
  }
}
