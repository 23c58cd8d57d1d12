package imps.server.cluster.redis;

import imps.protocol.Presence;
import imps.server.cluster.RoutedSession;
import imps.server.cluster.redis.RedisDirectory.Entry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The current sessions on this node, by user id, each with the random token that marks its entry in
 * Redis (so that a stale logout, status change or kick never touches a newer login). Looked up
 * first for every push, so local users are served while Redis is away. Thread-safe.
 */
final class LocalSessions {

  /** A session of this node and its token. */
  record LocalSession(RoutedSession session, long token) {

    long userId() {
      return session.userId();
    }

    /** The session's directory entry as it is now. */
    Entry entry(String instance) {
      Presence status = session.isVisible() ? Presence.ONLINE : Presence.INVISIBLE;
      return new Entry(instance, token, status, session.userName());
    }

    /**
     * Pushes to the session may have been lost: holds its pushes back at once (so that none
     * delivered after this overtakes the stored items) and has it resend what is stored.
     */
    void resync() {
      if (session.holdForResync()) {
        session.resendStored();
      }
    }
  }

  private final ConcurrentMap<Long, LocalSession> byUser = new ConcurrentHashMap<>();

  /** The user's current session here, or null. */
  LocalSession get(long userId) {
    return byUser.get(userId);
  }

  boolean contains(long userId) {
    return byUser.containsKey(userId);
  }

  /** Makes {@code s} its user's current session here; returns the one it replaces, or null. */
  LocalSession put(LocalSession s) {
    return byUser.put(s.userId(), s);
  }

  /** Removes {@code s} if it is still its user's current session; returns whether it was. */
  boolean remove(LocalSession s) {
    return byUser.remove(s.userId(), s);
  }

  /** Removes {@code session} if it is its user's current one; returns its entry here, or null. */
  LocalSession removeSession(RoutedSession session) {
    LocalSession l = byUser.get(session.userId());
    return l != null && l.session() == session && byUser.remove(session.userId(), l) ? l : null;
  }

  /** Removes the user's session if it has {@code token}; returns it, or null. */
  LocalSession removeToken(long userId, long token) {
    LocalSession l = byUser.get(userId);
    return l != null && l.token() == token && byUser.remove(userId, l) ? l : null;
  }

  /** A snapshot of the current sessions. */
  List<LocalSession> all() {
    return new ArrayList<>(byUser.values());
  }

  void clear() {
    byUser.clear();
  }
}
