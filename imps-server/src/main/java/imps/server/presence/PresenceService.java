package imps.server.presence;

import imps.protocol.Presence;
import imps.protocol.message.StatusNotifyPush;
import imps.server.cluster.SessionRouter;
import imps.server.delivery.Push;
import imps.server.session.Session;
import imps.server.store.FriendStore;

/**
 * Tells online friends when what they see of a user changes. Friends see a visible user online and
 * everyone else offline; an invisible user looks offline.
 *
 * <p>Each session remembers what friends were last told ({@link Session#friendsSee()}), and every
 * change for one user runs under that user's lock, so that the offline of a sign-out and the online
 * of a new login cannot reach friends in the wrong order, and nothing is announced twice.
 */
public final class PresenceService {
  private static final int STRIPES = 1024;

  private final FriendStore friends;
  private final SessionRouter router;
  private final Object[] locks = new Object[STRIPES];

  public PresenceService(FriendStore friends, SessionRouter router) {
    this.friends = friends;
    this.router = router;
    for (int i = 0; i < STRIPES; i++) {
      locks[i] = new Object();
    }
  }

  /**
   * Announces what friends should now see of an active session's user, if that differs from what
   * they were last told.
   */
  public void announce(Session s) {
    synchronized (lockOf(s.userId())) {
      if (!s.isActive()) {
        return;
      }
      Presence now = s.status().seenByFriends();
      if (s.friendsSee() != now) {
        tell(s.userId(), s.userName(), now);
        s.setFriendsSee(now);
      }
    }
  }

  /**
   * The session has ended: if it was still its user's current session, the user is gone, and
   * friends who saw the user online are told offline.
   */
  public void signedOut(Session s) {
    synchronized (lockOf(s.userId())) {
      if (router.release(s) && s.friendsSee() == Presence.ONLINE) {
        tell(s.userId(), s.userName(), Presence.OFFLINE);
        s.setFriendsSee(Presence.OFFLINE);
      }
    }
  }

  private void tell(long userId, String userName, Presence status) {
    // Under the user's lock: one look-up for all friends on other nodes, sends without waiting
    // (and none at all while the cluster directory is unreachable), never a round trip per friend.
    router.deliverAll(friends.friendIds(userId), Push.of(new StatusNotifyPush(userName, status)));
  }

  private Object lockOf(long userId) {
    return locks[(int) Math.floorMod(userId, (long) STRIPES)];
  }
}
