package imps.server.cluster.redis;

import imps.server.cluster.redis.RedisDirectory.Entry;
import imps.server.delivery.Push;
import io.lettuce.core.RedisException;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pushes to users whose session is on another instance, through that instance's stream, so that a
 * push lost on the way never lets a newer one overtake the item it left stored.
 *
 * <p>When a push may have been lost (the look-up or the {@code XADD} failed or timed out), the
 * recipient is remembered with a fault sequence number. Before the next push to that user, a {@link
 * Envelope.Resync} goes to the user's instance synchronously, on the same connection as the pushes,
 * and the user is forgotten once that is confirmed (unless a newer fault happened meanwhile). The
 * push follows on the same connection, so it reaches the stream after the resync: the receiving
 * node holds the session's pushes back and resends what is stored first.
 */
final class RemotePushes {
  private final String instance;
  private final RedisDirectory directory;
  private final StreamBus bus;
  private final RedisHealth health;

  /** Users a push to whom may have been lost, with the sequence number of the last such fault. */
  private final ConcurrentMap<Long, Long> mayHaveLost = new ConcurrentHashMap<>();

  private final AtomicLong faults = new AtomicLong();

  RemotePushes(String instance, RedisDirectory directory, StreamBus bus, RedisHealth health) {
    this.instance = instance;
    this.directory = directory;
    this.bus = bus;
    this.health = health;
  }

  /**
   * Pushes to the user's session on another instance, if there is one (the caller looked for a
   * local session first).
   *
   * @return false when the user has no session elsewhere, or Redis failed: the item stays stored
   */
  boolean push(long userId, Push push) {
    if (!health.isHealthy()) {
      // Circuit open (review finding M7): no look-up that would wait out a timeout. The user counts
      // as offline here, and may have lost this push: the next push after Redis is back resyncs.
      mayHaveLost(userId);
      return false;
    }
    try {
      return pushTo(userId, directory.lookup(userId), push);
    } catch (RedisException e) {
      // A stored message or outcome stays undelivered and comes at the user's next login, or
      // with the resync that precedes the next push to the user.
      mayHaveLost(userId);
      health.fault("pushing to user " + userId, e);
      return false;
    }
  }

  /**
   * {@link #push} to each of {@code userIds} (none of them has a session here), with one look-up
   * for all of them; the sends do not wait.
   */
  void pushAll(List<Long> userIds, Push push) {
    if (userIds.isEmpty()) {
      return;
    }
    if (!health.isHealthy()) {
      userIds.forEach(this::mayHaveLost);
      return;
    }
    List<Entry> entries;
    try {
      entries = directory.lookupAll(userIds);
    } catch (RedisException e) {
      userIds.forEach(this::mayHaveLost);
      health.fault("pushing to " + userIds.size() + " users", e);
      return;
    }
    for (int i = 0; i < userIds.size(); i++) {
      long userId = userIds.get(i);
      try {
        pushTo(userId, entries.get(i), push);
      } catch (RedisException e) {
        mayHaveLost(userId);
        health.fault("pushing to user " + userId, e);
      }
    }
  }

  private boolean pushTo(long userId, Entry e, Push push) {
    if (e == null || e.instance().equals(instance)) {
      // No session elsewhere: a later login reads everything stored. (A node whose entries
      // were dropped while its sessions lived resynchronises them itself: NodeLiveness.)
      if (e == null) {
        mayHaveLost.remove(userId);
      }
      return false;
    }
    Long lost = mayHaveLost.get(userId);
    if (lost != null) {
      // Confirmed before this push is sent, so the other node holds the session's pushes back
      // before this one arrives.
      bus.sendNow(e.instance(), new Envelope.Resync(userId));
      mayHaveLost.remove(userId, lost);
    }
    // Asynchronous: commands on one connection stay in order, so one sender's pushes to one
    // user reach the other node's stream in the order they were made.
    bus.send(e.instance(), new Envelope.PushTo(userId, push))
        .whenComplete(
            (id, t) -> {
              if (t != null) {
                mayHaveLost(userId);
              }
            });
    return true;
  }

  private void mayHaveLost(long userId) {
    if (!health.isClosed()) {
      mayHaveLost.put(userId, faults.incrementAndGet());
    }
  }
}
