package imps.server.cluster.redis;

import imps.protocol.Presence;
import imps.server.cluster.RoutedSession;
import imps.server.cluster.redis.LocalSessions.LocalSession;
import imps.server.cluster.redis.RedisDirectory.Entry;
import io.lettuce.core.RedisException;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this instance alive in Redis, cleans out dead instances, and registers this instance's
 * sessions again after Redis was unreachable or lost them. One keep-alive thread runs it all, every
 * sixth of {@code node-ttl}.
 *
 * <ul>
 *   <li><b>Alive.</b> Each tick refreshes {@code imps:alive:<instance>} with a TTL of two thirds of
 *       {@code node-ttl}.
 *   <li><b>Dead nodes.</b> Each tick also sweeps the instance set: an instance without an alive key
 *       is dead, and the node that takes its cleanup lock drops every user entry still naming it
 *       and tells the online friends of visible ones that they went offline. Friends therefore see
 *       a dead node's users offline within about five sixths of {@code node-ttl}.
 *   <li><b>Recovery.</b> When Redis answers again, or this instance's alive key was gone (others
 *       may have deleted its stream and its users' entries), every local session is registered
 *       again: vanished entries are written again (friends told the user is online), sessions whose
 *       user logged in elsewhere meanwhile are ended, and entries of sessions that ended meanwhile
 *       are dropped (friends told offline). Sessions whose pushes may have been lost resend what is
 *       stored.
 * </ul>
 */
final class NodeLiveness implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeLiveness.class);

  /** Tells a user's online friends, on any node, the status they now see of the user. */
  interface FriendNotices {
    void tell(long userId, String name, Presence status);
  }

  private final String instance;
  private final Duration aliveTtl;
  private final Duration tick;
  private final RedisDirectory directory;
  private final LocalSessions local;
  private final Kicks kicks;
  private final RedisHealth health;
  private final FriendNotices friends;
  private final ScheduledExecutorService keepAlive;

  /** Sessions held back until they are registered again (keep-alive thread only). */
  private final Set<RoutedSession> heldUntilRegistered = new LinkedHashSet<>();

  /** Whether the local sessions must be registered again (keep-alive thread only). */
  private boolean needsReregistration;

  /** Set by other threads to have the next tick register the local sessions again. */
  private volatile boolean reregistrationAsked;

  NodeLiveness(
      String instance,
      Duration nodeTtl,
      RedisDirectory directory,
      LocalSessions local,
      Kicks kicks,
      RedisHealth health,
      FriendNotices friends) {
    this.instance = instance;
    this.aliveTtl = Duration.ofMillis(Math.max(300, nodeTtl.toMillis() * 2 / 3));
    this.tick = Duration.ofMillis(Math.max(100, nodeTtl.toMillis() / 6));
    this.directory = directory;
    this.local = local;
    this.kicks = kicks;
    this.health = health;
    this.friends = friends;
    this.keepAlive =
        Executors.newSingleThreadScheduledExecutor(
            new DefaultThreadFactory("imps-redis-keepalive-" + instance, true));
  }

  /**
   * Registers this instance as alive.
   *
   * @throws RedisException when Redis fails
   */
  void register() {
    directory.addInstance(instance, aliveTtl);
  }

  /**
   * Has the next tick register the local sessions again (envelopes to this instance were lost: a
   * kick among them leaves a session whose user logged in elsewhere, which that ends).
   */
  void reregisterSoon() {
    reregistrationAsked = true;
  }

  /** Starts the keep-alive ticks. */
  void start() {
    keepAlive.scheduleWithFixedDelay(
        this::tick, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void tick() {
    try {
      if (!directory.keepAlive(instance, aliveTtl)) {
        // The alive key had expired (a long outage or pause) or Redis lost its data.
        log.warn("instance {} was missing from Redis; registering its sessions again", instance);
        needsReregistration = true;
        // Another node may have cleaned this instance out meanwhile: deleted its stream with
        // pushes not yet read, and dropped its users' entries, so that pushes to them failed.
        // Hold their pushes back before the entries exist again; once they do, resend what is
        // stored (reregister()).
        for (LocalSession l : local.all()) {
          if (l.session().holdForResync()) {
            heldUntilRegistered.add(l.session());
          }
        }
      }
      if (reregistrationAsked) {
        reregistrationAsked = false;
        needsReregistration = true;
      }
      if (health.recovered()) {
        log.info("Redis reachable again from instance {}", instance);
        needsReregistration = true;
      }
      if (needsReregistration) {
        reregister();
      }
      sweep();
    } catch (RedisException e) {
      health.fault("keeping instance " + instance + " alive", e);
    } catch (RuntimeException e) {
      log.error("cluster keep-alive failed", e);
    }
  }

  /** Cleans out instances whose alive key expired. */
  private void sweep() {
    for (String other : directory.instances()) {
      if (other.equals(instance) || directory.isAlive(other)) {
        continue;
      }
      if (!directory.lockCleanup(other, instance)) {
        continue; // another node is on it
      }
      try {
        Set<Long> users = directory.usersOf(other);
        int offline = dropEntries(other, users, uid -> false);
        directory.removeInstance(other);
        log.warn(
            "instance {} is gone: removed {} sessions, {} shown offline to friends",
            other,
            users.size(),
            offline);
      } finally {
        directory.unlockCleanup(other);
      }
    }
  }

  /**
   * Registers local sessions again after Redis was unreachable or lost this instance: ends those
   * whose user logged in elsewhere meanwhile, tells friends about those whose entry had gone, and
   * drops entries of sessions that ended during the outage.
   */
  private void reregister() {
    needsReregistration = false;
    if (!directory.lockCleanup(instance, instance)) {
      needsReregistration = true; // a sweep of this instance is still running: next tick
      return;
    }
    try {
      for (LocalSession l : local.all()) {
        switch (directory.reregister(l.userId(), l.entry(instance))) {
          case MISSING -> {
            if (!heldUntilRegistered.contains(l.session())) {
              l.resync(); // pushes to it found no entry
            }
            if (l.session().isVisible()) {
              friends.tell(l.userId(), l.session().userName(), Presence.ONLINE);
            }
          }
          case OURS -> {
            // Still registered.
          }
          case NEWER_ELSEWHERE -> {
            if (local.remove(l)) {
              log.info(
                  "user {} logged in elsewhere while Redis was away; ending this session",
                  l.userId());
              kicks.endLocalLater(l.session());
            }
          }
        }
      }
      dropEntries(instance, directory.usersOf(instance), local::contains);
      for (RoutedSession s : heldUntilRegistered) {
        s.resendStored();
      }
      heldUntilRegistered.clear();
    } finally {
      directory.unlockCleanup(instance);
    }
  }

  /**
   * Drops the entries that still name {@code owner} of {@code users} (except those {@code keep}
   * accepts), takes them off {@code owner}'s user set and tells the friends of those who were
   * online that they went offline. Returns how many were online.
   */
  private int dropEntries(String owner, Collection<Long> users, LongPredicate keep) {
    int offline = 0;
    for (long uid : users) {
      if (keep.test(uid)) {
        continue;
      }
      Entry gone = directory.dropIfAt(uid, owner);
      directory.forget(owner, uid);
      if (gone != null && gone.status() == Presence.ONLINE) {
        offline++;
        friends.tell(uid, gone.name(), Presence.OFFLINE);
      }
    }
    return offline;
  }

  @Override
  public void close() {
    keepAlive.shutdownNow();
  }
}
