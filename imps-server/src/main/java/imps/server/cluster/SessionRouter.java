package imps.server.cluster;

import imps.protocol.Presence;
import imps.server.delivery.Push;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The directory of logged-in sessions, local or across nodes, and the way pushes reach them.
 * Thread-safe. Calls may block briefly (a network round trip in a cluster), so they are made from
 * worker threads, not event loops.
 */
public interface SessionRouter extends AutoCloseable {

  /**
   * Makes {@code session} its user's current session. An older session of the same user, on any
   * node, is told {@code S_ERROR_RSP(7, 0)} and closed; this returns once it no longer takes
   * pushes.
   *
   * @return what friends saw of the user just before: {@link Presence#ONLINE} if an older session
   *     was online and visible, {@link Presence#OFFLINE} otherwise
   */
  Presence claim(RoutedSession session);

  /**
   * Removes {@code session} if it is still its user's current session.
   *
   * @return whether it was (false when a newer login already replaced it)
   */
  boolean release(RoutedSession session);

  /** Records a status change (online or invisible) of a current session. */
  void statusChanged(RoutedSession session);

  /**
   * What a friend sees of {@code userId}: {@link Presence#ONLINE} when online and visible, {@link
   * Presence#OFFLINE} otherwise.
   */
  Presence visibleStatus(long userId);

  /**
   * Pushes to the user's current session, wherever it is. A router that finds pushes to a session
   * may have been lost asks it to resend what is stored ({@link RoutedSession#holdForResync}); the
   * single-node router never loses a push.
   *
   * @return false when the user has no session that took the push
   */
  boolean deliver(long userId, Push push);

  /**
   * {@link #visibleStatus} of each of {@code userIds}, in their order. A cluster router asks its
   * shared directory once for all of them (one round trip), not once per user (review finding M7).
   */
  default List<Presence> visibleStatuses(List<Long> userIds) {
    List<Presence> out = new ArrayList<>(userIds.size());
    for (long id : userIds) {
      out.add(visibleStatus(id));
    }
    return out;
  }

  /**
   * {@link #deliver} of {@code push} to each of {@code userIds}. A cluster router looks the users
   * on other nodes up in one round trip and sends to them without waiting (review finding M7).
   */
  default void deliverAll(List<Long> userIds, Push push) {
    for (long id : userIds) {
      deliver(id, push);
    }
  }

  /**
   * Whether the user has a session on any node, visible or not (the admin command {@code users
   * show}); in a cluster, on an instance that is alive. May block briefly (a directory look-up).
   */
  boolean hasSession(long userId);

  /**
   * Closes the user's current session wherever it is ({@link RoutedSession#closeByOperator}): the
   * admin commands' kick, ban and deletion. On another node it is asked to, without waiting.
   *
   * @return whether the user had a session (on another node: on an instance that is alive)
   */
  boolean closeSession(long userId);

  /**
   * The logged-in sessions of every node: {@code local} (this node's) followed, in a cluster, by
   * the answers of the other live nodes, waited for at most {@code wait} (a node that has not
   * answered by then is left out and logged); only {@code local} while the cluster is not reachable
   * ({@link #isHealthy}). Called on an admin thread; blocks.
   */
  default List<SessionInfo> sessionsEverywhere(List<SessionInfo> local, Duration wait) {
    return local;
  }

  /** Where a cluster router takes this node's sessions from to answer other nodes' lists. */
  default void answerSessionListsFrom(Supplier<List<SessionInfo>> local) {
    // One node: nobody asks.
  }

  /**
   * The figures of every node for the admin command {@code stats}: {@code local} (this node's)
   * followed, in a cluster, by the answers of the other live nodes, waited for at most {@code wait}
   * (a node that has not answered by then is left out and logged); only {@code local} while the
   * cluster is not reachable ({@link #isHealthy}). Called on an admin thread; blocks.
   */
  default List<NodeFigures> figuresEverywhere(NodeFigures local, Duration wait) {
    return List.of(local);
  }

  /** Where a cluster router takes this node's figures from to answer other nodes' stats. */
  default void answerFiguresFrom(Supplier<NodeFigures> local) {
    // One node: nobody asks.
  }

  /**
   * Whether the router reaches everything it depends on (always, for a single node). A cluster
   * router that lost its shared directory keeps serving local users and reports false here.
   */
  default boolean isHealthy() {
    return true;
  }

  @Override
  void close();
}
