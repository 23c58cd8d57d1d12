package imps.server.cluster;

import imps.protocol.Presence;
import imps.server.delivery.Push;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The single-node {@link SessionRouter}: a concurrent map from user id to session. */
public final class InMemorySessionRouter implements SessionRouter {

  private final ConcurrentMap<Long, RoutedSession> sessions = new ConcurrentHashMap<>();

  @Override
  public Presence claim(RoutedSession session) {
    RoutedSession old = sessions.put(session.userId(), session);
    if (old == null || old == session) {
      return Presence.OFFLINE;
    }
    Presence friendsSaw = old.replaceByNewerLogin();
    old.awaitClosed();
    return friendsSaw;
  }

  @Override
  public boolean release(RoutedSession session) {
    return sessions.remove(session.userId(), session);
  }

  @Override
  public void statusChanged(RoutedSession session) {
    // The session object itself holds the status.
  }

  @Override
  public Presence visibleStatus(long userId) {
    RoutedSession s = sessions.get(userId);
    return s != null && s.isVisible() ? Presence.ONLINE : Presence.OFFLINE;
  }

  @Override
  public boolean deliver(long userId, Push push) {
    RoutedSession s = sessions.get(userId);
    return s != null && s.deliver(push);
  }

  @Override
  public boolean hasSession(long userId) {
    return sessions.containsKey(userId);
  }

  @Override
  public boolean closeSession(long userId) {
    RoutedSession s = sessions.get(userId);
    if (s == null) {
      return false;
    }
    s.closeByOperator();
    return true;
  }

  @Override
  public void close() {
    sessions.clear();
  }
}
