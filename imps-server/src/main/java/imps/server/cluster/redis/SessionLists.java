package imps.server.cluster.redis;

import imps.server.cluster.SessionInfo;
import io.lettuce.core.RedisException;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * The admin command {@code sessions list} across nodes. The asking node sends a {@link
 * Envelope.ListSessions} to every other live instance's stream; each answers with its sessions in
 * {@link Envelope.SessionsPart}s of at most {@link #PART} sessions (so that no stream entry grows
 * with the node's size), the last one marked; {@link NodeQuestions} asks and waits, bounded, until
 * every instance it asked has sent its last part. Nothing of this is on a client's path.
 */
final class SessionLists {
  /** Sessions per answering envelope: about 100 bytes each, far below the largest push. */
  static final int PART = 200;

  private final String instance;
  private final StreamBus bus;
  private final RedisHealth health;
  private final NodeQuestions<SessionInfo> questions;
  private volatile Supplier<List<SessionInfo>> local = List::of;

  SessionLists(String instance, RedisDirectory directory, StreamBus bus, RedisHealth health) {
    this.instance = instance;
    this.bus = bus;
    this.health = health;
    this.questions =
        new NodeQuestions<>(
            "sessions list",
            "sessions",
            instance,
            directory,
            bus,
            health,
            Envelope.ListSessions::new);
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
    return questions.gather(mine, wait);
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
    questions.onAnswer(p.requestId(), p.from(), p.sessions(), p.last());
  }
}
