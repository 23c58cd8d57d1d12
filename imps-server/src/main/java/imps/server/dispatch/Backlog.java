package imps.server.dispatch;

import imps.server.delivery.DeliveryMark;
import imps.server.delivery.DeliveryRecorder;
import imps.server.delivery.Push;
import imps.server.delivery.Pushes;
import imps.server.friend.FriendService;
import imps.server.session.Connection;
import imps.server.session.Session;
import imps.server.store.FriendStore;
import imps.server.store.MessageStore;
import imps.server.store.Outcome;
import imps.server.store.PendingRequest;
import imps.server.store.StoredMessage;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Sends what is stored for a user to a syncing session: pending friend requests (at login only),
 * undelivered outcomes, then undelivered messages and clips in acceptance order; then lets the
 * session go live with the pushes it held back meanwhile. Used at login, and to resynchronise a
 * live session after pushes to it may have been lost in transit (a cluster fault), so that stored
 * items still come before newer ones.
 */
public final class Backlog {
  private static final int PAGE = 500;
  private static final Duration STALL = Duration.ofSeconds(60);

  private final FriendStore friendStore;
  private final MessageStore messageStore;
  private final FriendService friends;
  private final DeliveryRecorder recorder;

  public Backlog(
      FriendStore friendStore,
      MessageStore messageStore,
      FriendService friends,
      DeliveryRecorder recorder) {
    this.friendStore = friendStore;
    this.messageStore = messageStore;
    this.friends = friends;
    this.recorder = recorder;
  }

  /**
   * Writes the backlog to {@code s} (which must be syncing) and finishes the sync.
   *
   * @param withRequests whether to send pending friend requests too (at login)
   * @return false when the session ended meanwhile
   * @throws RuntimeException when storage fails or the client stops reading; the caller ends the
   *     session
   */
  public boolean send(Session s, boolean withRequests) {
    // Deliveries already made (by a replaced session, too) must be on record before reading.
    recorder.awaitFlushed();
    long user = s.userId();
    Set<DeliveryMark> sent = new HashSet<>();
    if (withRequests) {
      for (PendingRequest p : friendStore.pendingFor(user)) {
        write(s, Pushes.friendRequest(p.id(), p.fromName()), sent);
      }
    }
    for (Outcome o : friendStore.undeliveredOutcomes(user)) {
      write(s, Pushes.outcome(o.id(), friends.outcomeFrame(o)), sent);
    }
    long after = 0;
    while (true) {
      List<StoredMessage> page = messageStore.undelivered(user, after, PAGE);
      for (StoredMessage m : page) {
        write(s, Pushes.message(m.id(), m.senderName(), m.text(), m.audio(), m.acceptedAt()), sent);
        after = m.id();
      }
      if (page.size() < PAGE) {
        break;
      }
    }
    return s.finishSync(sent);
  }

  /** Writes one item, waiting while the client is behind so memory stays bounded. */
  private static void write(Session s, Push push, Set<DeliveryMark> sent) {
    Connection c = s.connection();
    if (!c.isWritable() && !c.awaitWritable(STALL)) {
      throw new IllegalStateException("client stopped reading its backlog");
    }
    s.writeBacklog(push);
    sent.add(push.mark());
  }
}
