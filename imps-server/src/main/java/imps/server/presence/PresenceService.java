package imps.server.presence;

import imps.protocol.message.StatusNotifyPush;
import imps.server.cluster.SessionRouter;
import imps.server.session.Push;
import imps.server.store.FriendStore;

/**
 * Tells online friends when what they see of a user changes. Friends see 2 for an online, visible
 * user and 0 otherwise; an invisible user looks offline.
 */
public final class PresenceService {
  private final FriendStore friends;
  private final SessionRouter router;

  public PresenceService(FriendStore friends, SessionRouter router) {
    this.friends = friends;
    this.router = router;
  }

  /** Notifies friends if {@code before} (what they saw) differs from {@code after}. */
  public void changed(long userId, String userName, int before, int after) {
    if (before == after) {
      return;
    }
    Push push = Push.of(new StatusNotifyPush(userName, after));
    for (long friendId : friends.friendIds(userId)) {
      router.deliver(friendId, push);
    }
  }

  /** What a friend sees of {@code userId} now. */
  public int visibleStatus(long userId) {
    return router.visibleStatus(userId);
  }
}
