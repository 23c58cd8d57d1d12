package imps.server.cluster;

import imps.protocol.ErrorCode;
import imps.protocol.Status;
import imps.protocol.message.ErrorResponse;
import imps.server.session.Push;
import imps.server.session.Session;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The single-node {@link SessionRouter}: a concurrent map from user id to session. */
public final class InMemorySessionRouter implements SessionRouter {
  private static final ErrorResponse KICK = ErrorResponse.of(ErrorCode.LOGGED_IN_ELSEWHERE, 0);

  private final ConcurrentMap<Long, Session> sessions = new ConcurrentHashMap<>();

  @Override
  public int claim(Session session) {
    Session old = sessions.put(session.userId(), session);
    if (old == null || old == session) {
      return Status.OFFLINE;
    }
    return kick(old);
  }

  /**
   * Ends {@code old} (no more pushes), tells it error 7 and closes it; returns what friends saw.
   */
  static int kick(Session old) {
    int friendsSaw = old.friendsSee();
    boolean wasActive = old.end();
    old.connection().send(KICK);
    try {
      // Wait until its writes are settled, so deliveries it made are recorded before the new
      // session reads its backlog.
      old.connection().close().get(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
      // Closed or not, it takes no more pushes.
    }
    return wasActive ? friendsSaw : Status.OFFLINE;
  }

  @Override
  public boolean release(Session session) {
    return sessions.remove(session.userId(), session);
  }

  @Override
  public void statusChanged(Session session) {
    // The session object itself holds the status.
  }

  @Override
  public int visibleStatus(long userId) {
    Session s = sessions.get(userId);
    return s != null && s.isVisible() ? Status.ONLINE : Status.OFFLINE;
  }

  @Override
  public boolean deliver(long userId, Push push) {
    Session s = sessions.get(userId);
    return s != null && s.deliver(push);
  }

  /** Number of sessions (for metrics and tests). */
  public int size() {
    return sessions.size();
  }

  @Override
  public void close() {
    sessions.clear();
  }
}
