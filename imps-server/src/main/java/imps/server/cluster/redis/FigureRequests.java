package imps.server.cluster.redis;

import imps.server.cluster.NodeFigures;
import io.lettuce.core.RedisException;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * The admin command {@code stats} across nodes, as {@link SessionLists} does {@code sessions list}:
 * the asking node sends a {@link Envelope.AskFigures} to every other live instance's stream; each
 * answers with one {@link Envelope.Figures} (a few named numbers); {@link NodeQuestions} asks and
 * waits, bounded, until every instance it asked has answered. Nothing of this is on a client's
 * path.
 */
final class FigureRequests {
  private final String instance;
  private final StreamBus bus;
  private final RedisHealth health;
  private final NodeQuestions<NodeFigures> questions;
  private volatile Supplier<NodeFigures> local;

  FigureRequests(String instance, RedisDirectory directory, StreamBus bus, RedisHealth health) {
    this.instance = instance;
    this.bus = bus;
    this.health = health;
    this.questions =
        new NodeQuestions<>(
            "stats", "figures", instance, directory, bus, health, Envelope.AskFigures::new);
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
    return questions.gather(List.of(mine), wait);
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
    questions.onAnswer(f.requestId(), f.from(), List.of(f.figures()), true);
  }
}
