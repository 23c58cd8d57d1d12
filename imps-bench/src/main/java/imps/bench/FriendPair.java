package imps.bench;

import imps.protocol.message.SendMessage;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;
import org.HdrHistogram.Recorder;

/**
 * Two users who are friends, both logged in: what the scenarios that store messages between two
 * friends start from (history, offline-backlog). Their connections ignore pushes and count client
 * anomalies in one {@link AnomalyCounter}, as do the further connections made with {@link
 * #ignoringPushes}; {@link #store} fills their conversation.
 */
final class FriendPair {
  private final AnomalyCounter anomalies = new AnomalyCounter();

  /** The first user's connection (index 0). */
  final Conn first;

  /** The second user's connection (index 1). */
  final Conn second;

  private FriendPair(String firstName, String secondName) {
    this.first = new Conn(0, firstName, anomalies);
    this.second = new Conn(1, secondName, anomalies);
  }

  /**
   * Registers the run's users {@code prefix + firstSuffix} and {@code prefix + secondSuffix} (names
   * taken already count), logs both in and makes them friends, as the phases {@code register},
   * {@code login} and {@code befriend}.
   */
  static FriendPair logIn(RunContext run, Result r, String firstSuffix, String secondSuffix)
      throws SetupException {
    UserSetup setup = run.users();
    setup.register(r, "register", 2, i -> setup.prefix() + (i == 0 ? firstSuffix : secondSuffix));
    FriendPair pair = new FriendPair(setup.prefix() + firstSuffix, setup.prefix() + secondSuffix);
    setup.connectAndLogin("login", List.of(pair.first, pair.second), 2);
    setup.befriendAll("befriend", List.<Conn[]>of(new Conn[] {pair.first, pair.second}));
    return pair;
  }

  /** A listener that ignores pushes and counts anomalies with the pair's. */
  Conn.Listener ignoringPushes() {
    return anomalies;
  }

  /** Counts an anomaly seen on another connection of the run. */
  void anomaly() {
    anomalies.count();
  }

  /** Client anomalies seen so far (the {@code client_anomalies} metric). */
  long anomalies() {
    return anomalies.anomalies();
  }

  /**
   * Prepares storing {@code n} messages between the two, to be run with {@link Bounded#await}:
   * message {@code i} has the text {@code text(i)} and goes from the first user to the second when
   * {@code firstSends(i)}, else the other way. Each completes when acknowledged, and fails on any
   * other reply; {@code ackLatency}, unless null, records each acknowledgement's round trip in µs.
   */
  Bounded store(int n, IntPredicate firstSends, IntFunction<String> text, Recorder ackLatency) {
    return Bounded.start(
        n,
        i -> {
          Conn from = firstSends.test(i) ? first : second;
          Conn to = firstSends.test(i) ? second : first;
          CompletableFuture<Void> f = new CompletableFuture<>();
          from.send(
              new SendMessage(from.user, to.user, text.apply(i)),
              System.nanoTime(),
              (c, reply, t0) -> {
                if (Replies.isSuccess(reply)) {
                  if (ackLatency != null) {
                    ackLatency.recordValue((System.nanoTime() - t0) / 1000);
                  }
                  f.complete(null);
                } else {
                  f.completeExceptionally(
                      new IllegalStateException("send: " + Replies.describeOrClosed(reply)));
                }
              });
          return f;
        });
  }
}
