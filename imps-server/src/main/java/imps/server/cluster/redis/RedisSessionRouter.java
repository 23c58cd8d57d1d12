package imps.server.cluster.redis;

import imps.protocol.Presence;
import imps.protocol.message.StatusNotifyPush;
import imps.server.cluster.NodeFigures;
import imps.server.cluster.RoutedSession;
import imps.server.cluster.SessionInfo;
import imps.server.cluster.SessionRouter;
import imps.server.cluster.redis.LocalSessions.LocalSession;
import imps.server.cluster.redis.RedisDirectory.Entry;
import imps.server.delivery.DeliveryRecorder;
import imps.server.delivery.Push;
import imps.server.store.FriendStore;
import io.lettuce.core.RedisException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SessionRouter} for several nodes sharing one Redis (docs/ARCHITECTURE.md, "Cluster"): the
 * local sessions first, then the {@link RedisDirectory} of who is online where, pushes and kicks to
 * other instances over the {@link StreamBus} ({@link RemotePushes}, {@link Kicks}; what arrives is
 * handed on by the {@link StreamInbox}), and the {@link NodeLiveness} that keeps this instance
 * registered and cleans out dead ones.
 *
 * <p>While Redis is unreachable, local users keep being served, pushes to other nodes fail (their
 * items stay stored) and {@link #isHealthy()} reports false; the node recovers by itself.
 */
public final class RedisSessionRouter implements SessionRouter {
  private static final Logger log = LoggerFactory.getLogger(RedisSessionRouter.class);
  private static final Duration MAX_KICK_WAIT = Duration.ofSeconds(5);

  private final String instance;
  private final RedisConnections connections;
  private final RedisHealth health;
  private final RedisDirectory directory;
  private final LocalSessions local = new LocalSessions();
  private final StreamBus bus;
  private final RemotePushes remote;
  private final Kicks kicks;
  private final SessionLists lists;
  private final FigureRequests figures;
  private final NodeLiveness liveness;
  private final FriendStore friends;
  private final SecureRandom random;
  private final Object[] claimLocks = new Object[64];

  private RedisSessionRouter(
      String instance,
      RedisConnections connections,
      Duration nodeTtl,
      long streamMaxBytes,
      FriendStore friends,
      DeliveryRecorder recorder,
      SecureRandom random) {
    this.instance = instance;
    this.connections = connections;
    this.friends = friends;
    this.random = random;
    Arrays.setAll(claimLocks, i -> new Object());
    this.health = new RedisHealth();
    this.directory = new RedisDirectory(connections.commands().sync());
    this.bus =
        new StreamBus(
            instance,
            connections.commands(),
            connections.reader(),
            health,
            StreamBus.maxEntries(streamMaxBytes));
    this.remote = new RemotePushes(instance, directory, bus, health);
    Duration kickWait = nodeTtl.compareTo(MAX_KICK_WAIT) <= 0 ? nodeTtl : MAX_KICK_WAIT;
    this.kicks = new Kicks(instance, directory, bus, local, recorder, kickWait, health);
    this.lists = new SessionLists(instance, directory, bus, health);
    this.figures = new FigureRequests(instance, directory, bus, health);
    this.liveness =
        new NodeLiveness(instance, nodeTtl, directory, local, kicks, health, this::tellFriends);
  }

  /**
   * Connects to Redis, registers a new instance of this node and starts its keep-alive and stream
   * reader.
   *
   * @param nodeId this node's configured id (a random suffix makes each process start a new
   *     instance, so a restarted node never mistakes its predecessor's sessions for its own)
   * @param nodeTtl how long after its last keep-alive a dead node's users are shown offline, at
   *     most
   * @param streamMaxBytes what each instance's stream holds at most (its entries are trimmed to as
   *     many as the largest envelope fits in this); a node whose reader falls further behind
   *     resends what is stored to its sessions
   * @param friends to tell friends of a dead node's users that they went offline
   * @param recorder flushed before a kicked session is acknowledged, so that the new session's
   *     backlog does not repeat what the old one delivered
   * @throws RedisException when Redis cannot be reached
   */
  public static RedisSessionRouter connect(
      String redisUri,
      String nodeId,
      Duration nodeTtl,
      long streamMaxBytes,
      FriendStore friends,
      DeliveryRecorder recorder) {
    SecureRandom random = new SecureRandom();
    String instance = instanceId(nodeId, random.nextLong());
    RedisConnections connections = RedisConnections.open(redisUri);
    RedisSessionRouter router;
    try {
      router =
          new RedisSessionRouter(
              instance, connections, nodeTtl, streamMaxBytes, friends, recorder, random);
      router.liveness.register();
    } catch (RuntimeException e) {
      connections.close();
      throw e;
    }
    router.bus.start(
        new StreamInbox(router.local, router.kicks, router.lists, router.figures, router.liveness));
    router.liveness.start();
    log.info("cluster node instance {} registered in Redis {}", instance, connections.host());
    return router;
  }

  /** This process's instance id (node id plus a random suffix). */
  public String instance() {
    return instance;
  }

  @Override
  public boolean isHealthy() {
    return health.isHealthy();
  }

  @Override
  public Presence claim(RoutedSession session) {
    long uid = session.userId();
    LocalSession mine = new LocalSession(session, random.nextLong());
    LocalSession old;
    Entry prev = null;
    // Two logins of one user on this node at once: the one that takes the local slot last must
    // also write the directory entry last, or the entry names the replaced session (a login
    // elsewhere would then kick that one and leave the live one logged in, and the live one's
    // sign-out would leave the user shown online).
    synchronized (claimLock(uid)) {
      old = local.put(mine);
      try {
        prev = directory.claim(uid, mine.entry(instance));
      } catch (RedisException e) {
        health.fault("registering the session of user " + uid, e);
      }
    }
    Presence before = Presence.OFFLINE;
    if (old != null && old.session() != session) {
      before = Kicks.endLocal(old.session());
    }
    if (prev != null && !prev.instance().equals(instance)) {
      try {
        before = kicks.endRemote(uid, prev);
      } catch (RedisException e) {
        health.fault("ending the older session of user " + uid, e);
      }
    }
    return before;
  }

  /** The lock that lets one {@link #claim} of {@code userId} at a time register (striped). */
  private Object claimLock(long userId) {
    return claimLocks[Math.floorMod(Long.hashCode(userId), claimLocks.length)];
  }

  @Override
  public boolean release(RoutedSession session) {
    LocalSession l = local.removeSession(session);
    if (l == null) {
      return false;
    }
    try {
      return directory.release(l.userId(), instance, l.token());
    } catch (RedisException e) {
      // Friends on this node are told; the entry is dropped when Redis is back (NodeLiveness).
      health.fault("releasing the session of user " + l.userId(), e);
      return true;
    }
  }

  @Override
  public void statusChanged(RoutedSession session) {
    LocalSession l = local.get(session.userId());
    if (l == null || l.session() != session) {
      return;
    }
    try {
      directory.update(l.userId(), l.entry(instance));
    } catch (RedisException e) {
      health.fault("recording a status change of user " + l.userId(), e);
    }
  }

  @Override
  public Presence visibleStatus(long userId) {
    LocalSession l = local.get(userId);
    if (l != null) {
      return l.session().isVisible() ? Presence.ONLINE : Presence.OFFLINE;
    }
    if (!health.isHealthy()) {
      return Presence.OFFLINE; // circuit open: remote users count as offline (review finding M7)
    }
    try {
      return seen(directory.lookup(userId));
    } catch (RedisException e) {
      health.fault("looking up user " + userId, e);
      return Presence.OFFLINE;
    }
  }

  @Override
  public List<Presence> visibleStatuses(List<Long> userIds) {
    Presence[] out = new Presence[userIds.size()];
    List<Long> remoteIds = new ArrayList<>();
    List<Integer> remoteAt = new ArrayList<>();
    for (int i = 0; i < out.length; i++) {
      LocalSession l = local.get(userIds.get(i));
      if (l != null) {
        out[i] = l.session().isVisible() ? Presence.ONLINE : Presence.OFFLINE;
      } else {
        out[i] = Presence.OFFLINE;
        remoteIds.add(userIds.get(i));
        remoteAt.add(i);
      }
    }
    if (!remoteIds.isEmpty() && health.isHealthy()) {
      try {
        List<Entry> entries = directory.lookupAll(remoteIds);
        for (int j = 0; j < entries.size(); j++) {
          out[remoteAt.get(j)] = seen(entries.get(j));
        }
      } catch (RedisException e) {
        health.fault("looking up " + remoteIds.size() + " users", e);
      }
    }
    return Arrays.asList(out);
  }

  private static Presence seen(Entry e) {
    return e != null && e.status() == Presence.ONLINE ? Presence.ONLINE : Presence.OFFLINE;
  }

  @Override
  public boolean deliver(long userId, Push push) {
    LocalSession l = local.get(userId);
    return l != null ? l.session().deliver(push) : remote.push(userId, push);
  }

  @Override
  public void deliverAll(List<Long> userIds, Push push) {
    List<Long> remoteIds = new ArrayList<>();
    for (long id : userIds) {
      LocalSession l = local.get(id);
      if (l != null) {
        l.session().deliver(push);
      } else {
        remoteIds.add(id);
      }
    }
    remote.pushAll(remoteIds, push);
  }

  @Override
  public List<SessionInfo> sessionsEverywhere(List<SessionInfo> mine, Duration wait) {
    return lists.gather(mine, wait);
  }

  @Override
  public void answerSessionListsFrom(Supplier<List<SessionInfo>> source) {
    lists.answerFrom(source);
  }

  @Override
  public List<NodeFigures> figuresEverywhere(NodeFigures mine, Duration wait) {
    return figures.gather(mine, wait);
  }

  @Override
  public void answerFiguresFrom(Supplier<NodeFigures> source) {
    figures.answerFrom(source);
  }

  @Override
  public boolean hasSession(long userId) {
    try {
      return local.get(userId) != null || health.isHealthy() && elsewhere(userId) != null;
    } catch (RedisException e) {
      health.fault("looking up user " + userId, e);
      return false; // as visibleStatus: users of other nodes look offline while Redis is down
    }
  }

  /** The directory's entry of the user's session on another live instance, or null. */
  private Entry elsewhere(long userId) {
    Entry e = directory.lookup(userId);
    return e == null || e.instance().equals(instance) || !directory.isAlive(e.instance())
        ? null
        : e;
  }

  @Override
  public boolean closeSession(long userId) {
    LocalSession l = local.get(userId);
    if (l != null) {
      l.session().closeByOperator();
      return true;
    }
    Entry e = elsewhere(userId);
    if (e != null) {
      bus.sendNow(e.instance(), new Envelope.Close(userId, e.token()));
    }
    return e != null;
  }

  @Override
  public void close() {
    if (!health.close()) {
      return;
    }
    liveness.close();
    bus.close();
    kicks.close();
    try {
      // Sessions are closed by now; remove what is left of this instance.
      for (LocalSession l : local.all()) {
        directory.release(l.userId(), instance, l.token());
      }
      directory.removeInstance(instance);
    } catch (RedisException e) {
      log.warn("could not deregister {} from Redis: {}", instance, e.getMessage());
    }
    local.clear();
    connections.close();
  }

  private void tellFriends(long userId, String name, Presence status) {
    Push push = Push.of(new StatusNotifyPush(name, status));
    try {
      deliverAll(friends.friendIds(userId), push);
    } catch (RuntimeException e) {
      log.warn("could not tell friends of user {} about status {}", userId, status, e);
    }
  }

  /** The node id, made safe for key names, plus a random suffix. */
  static String instanceId(String nodeId, long random) {
    String id = nodeId == null ? "" : nodeId.replaceAll("[^A-Za-z0-9_.-]", "_");
    if (id.isEmpty()) {
      id = "node-" + ProcessHandle.current().pid();
    }
    return id.toLowerCase(Locale.ROOT) + "." + Long.toString(random >>> 1, 36);
  }
}
