package imps.server.presence;

import imps.protocol.Status;
import imps.protocol.message.StatusNotifyPush;
import imps.server.cluster.SessionRouter;
import imps.server.session.Push;
import imps.server.session.Session;
import imps.server.store.FriendStore;

/**
 * Tells online friends when what they see of a user changes. Friends see 2 for an online, visible
 * user and 0 otherwise; an invisible user looks offline.
 *
 * <p>Each session remembers what friends were last told ({@link Session#friendsSee()}), and every
 * change for one user runs under that user's lock, so that the 0 of a sign-out and the 2 of a new
 * login cannot reach friends in the wrong order, and nothing is announced twice.
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
   * Announces what friends should now see of an active session's user (2 when visible, else 0), if
   * that differs from what they were last told.
   */
  public void announce(Session s) {
    synchronized (lockOf(s.userId())) {
      if (!s.isActive()) {
        return;
      }
      int now = s.isVisible() ? Status.ONLINE : Status.OFFLINE;
      if (s.friendsSee() != now) {
        tell(s.userId(), s.userName(), now);
        s.setFriendsSee(now);
      }
    }
  }

  /**
   * The session has ended: if it was still its user's current session, the user is gone, and
   * friends who saw the user online are told 0.
   */
  public void signedOut(Session s) {
    synchronized (lockOf(s.userId())) {
      if (router.release(s) && s.friendsSee() == Status.ONLINE) {
        tell(s.userId(), s.userName(), Status.OFFLINE);
        s.setFriendsSee(Status.OFFLINE);
      }
    }
  }

  /** What a friend sees of {@code userId} now. */
  public int visibleStatus(long userId) {
    return router.visibleStatus(userId);
  }

  private void tell(long userId, String userName, int status) {
    Push push = Push.of(new StatusNotifyPush(userName, status));
    for (long friendId : friends.friendIds(userId)) {
      router.deliver(friendId, push);
    }
  }

  private Object lockOf(long userId) {
    return locks[(int) Math.floorMod(userId, (long) STRIPES)];
  }
}
