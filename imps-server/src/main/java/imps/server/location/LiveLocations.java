package imps.server.location;

import imps.protocol.Presence;
import imps.protocol.message.LocationPush;
import imps.server.cluster.SessionRouter;
import imps.server.delivery.Push;
import imps.server.store.Fix;
import imps.server.store.FriendStore;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Live friend locations (docs/PROTOCOL.md 8.6): a visible user's new position is pushed to every
 * friend as {@code S_LOCATION}, coalesced per user to at most one push per interval (fixes in
 * between are replaced by the latest, which follows when the interval has passed). Friends'
 * sessions drop the push unless they asked for live locations ({@code Session#deliver}), so it goes
 * through the {@link SessionRouter} like presence and reaches other nodes. Thread-safe.
 */
public final class LiveLocations {
  private final FriendStore friends;
  private final SessionRouter router;
  private final Clock clock;
  private final long intervalMillis;
  private final ScheduledExecutorService scheduler;
  private final ConcurrentHashMap<Long, Mover> movers = new ConcurrentHashMap<>();

  /**
   * @param interval at most one push per user per this ({@code location.live-interval})
   * @param scheduler runs the pushes that were held back; they read the store
   */
  public LiveLocations(
      FriendStore friends,
      SessionRouter router,
      Clock clock,
      Duration interval,
      ScheduledExecutorService scheduler) {
    this.friends = friends;
    this.router = router;
    this.clock = clock;
    this.intervalMillis = interval.toMillis();
    this.scheduler = scheduler;
  }

  /** One user's last push and the fix held back since, guarded by the instance. */
  private static final class Mover {
    long lastSent = Long.MIN_VALUE / 2; // long ago, without overflow
    Fix held;
    String name;
  }

  /**
   * The user, visible, shared a new last position: pushes it now, or holds it until the interval
   * since the last push has passed. Called on a worker thread (it reads the store).
   */
  public void moved(long userId, String userName, Fix last) {
    Mover m = movers.computeIfAbsent(userId, id -> new Mover());
    long now = clock.millis();
    boolean sendNow;
    synchronized (m) {
      m.name = userName;
      if (m.held != null) {
        m.held = last; // a push is already scheduled; it takes the latest
        return;
      }
      sendNow = now - m.lastSent >= intervalMillis;
      if (sendNow) {
        m.lastSent = now;
      } else {
        m.held = last;
        scheduler.schedule(
            () -> flush(userId, m), m.lastSent + intervalMillis - now, TimeUnit.MILLISECONDS);
      }
    }
    if (sendNow) {
      push(userId, userName, last);
    }
  }

  private void flush(long userId, Mover m) {
    Fix fix;
    String name;
    synchronized (m) {
      fix = m.held;
      name = m.name;
      m.held = null;
      m.lastSent = clock.millis();
    }
    // Offline or invisible since: friends must not see where the user went.
    if (fix != null && router.visibleStatus(userId) == Presence.ONLINE) {
      push(userId, name, fix);
    }
  }

  private void push(long userId, String userName, Fix fix) {
    Push push = Push.of(new LocationPush(userName, fix.time(), fix.location()));
    for (long friendId : friends.friendIds(userId)) {
      router.deliver(friendId, push);
    }
  }

  /** Forgets a user who signed out (a held fix is then dropped when due). */
  public void forget(long userId) {
    Mover m = movers.remove(userId);
    if (m != null) {
      synchronized (m) {
        m.held = null;
      }
    }
  }
}
