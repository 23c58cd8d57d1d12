package imps.server.cluster;

import imps.protocol.Status;
import imps.server.session.Push;
import imps.server.session.Session;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The single-node {@link SessionRouter}: a concurrent map from user id to session. */
public final class InMemorySessionRouter implements SessionRouter {

  private final ConcurrentMap<Long, Session> sessions = new ConcurrentHashMap<>();

  @Override
  public int claim(Session session) {
    Session old = sessions.put(session.userId(), session);
    if (old == null || old == session) {
      return Status.OFFLINE;
    }
    int friendsSaw = old.replaceByNewerLogin();
    old.awaitClosed();
    return friendsSaw;
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
