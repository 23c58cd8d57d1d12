package imps.server.cluster.redis;

import imps.protocol.Presence;
import imps.protocol.message.StatusNotifyPush;
import imps.server.cluster.RoutedSession;
import imps.server.cluster.SessionRouter;
import imps.server.delivery.DeliveryRecorder;
import imps.server.delivery.Push;
import imps.server.store.FriendStore;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SessionRouter} for several nodes sharing one Redis (see docs/ARCHITECTURE.md, "Cluster").
 *
 * <p>Redis holds, per user, {@code imps:u:<id>} = {@code instance|token|status|name}: which node
 * instance has the user's current session, that session's random token, the status friends see, and
 * the name (for offline notices after a crash). Each node instance keeps {@code
 * imps:alive:<instance>} alive with a TTL of two thirds of {@code node-ttl}, and lists its users in
 * {@code imps:n:<instance>}. Pushes and kicks for a user on another instance go to that instance's
 * stream {@code imps:s:<instance>}, which one reader thread per node consumes in order.
 *
 * <p>A node found without its alive key is dead: one surviving node (holding {@code
 * imps:clean:<instance>}) deletes the entries still pointing at it and tells those users' online
 * friends they went offline. A node that lost Redis serves its local users meanwhile; when Redis
 * answers again it re-registers them (and ends any whose user logged in elsewhere in between).
 *
 * <p>A push to another node that may have been lost (a Redis fault) leaves its item stored; so that
 * no later push overtakes it, the sender remembers the recipient and, before its next push to that
 * user, sends a {@link Envelope.Resync} on the same connection: the receiving node holds the
 * session's pushes back and resends what is stored first. A node that may have been cleaned out
 * (its stream deleted, its users' entries dropped) resynchronises all its sessions likewise before
 * registering them again.
 *
 * <p>All scripts touch keys of one Redis (no Redis Cluster sharding).
 */
public final class RedisSessionRouter implements SessionRouter {
  private static final Logger log = LoggerFactory.getLogger(RedisSessionRouter.class);
  private static final String PREFIX = "imps:";
  private static final String INSTANCES = PREFIX + "instances";
  private static final long STREAM_MAX_LEN = 100_000;
  private static final int READ_BATCH = 512;

  /** Sets the entry and returns the old one; adds the user to this instance's set. */
  private static final String CLAIM =
      "local old = redis.call('GET', KEYS[1])\n"
          + "redis.call('SET', KEYS[1], ARGV[1])\n"
          + "redis.call('SADD', KEYS[2], ARGV[2])\n"
          + "return old";

  /** Deletes the entry if it is still this session's (prefix instance|token|). */
  private static final String RELEASE =
      "local v = redis.call('GET', KEYS[1])\n"
          + "if v and string.sub(v, 1, #ARGV[1]) == ARGV[1] then\n"
          + "  redis.call('DEL', KEYS[1]); redis.call('SREM', KEYS[2], ARGV[2]); return 1\n"
          + "end\n"
          + "if (not v) or string.sub(v, 1, #ARGV[3]) ~= ARGV[3] then\n"
          + "  redis.call('SREM', KEYS[2], ARGV[2])\n"
          + "end\n"
          + "return 0";

  /** Replaces the entry if it is still this session's. */
  private static final String UPDATE =
      "local v = redis.call('GET', KEYS[1])\n"
          + "if v and string.sub(v, 1, #ARGV[1]) == ARGV[1] then\n"
          + "  redis.call('SET', KEYS[1], ARGV[2]); return 1\n"
          + "end\n"
          + "return 0";

  /**
   * After an outage: registers this session again. Returns 'missing' (re-created), 'ours' (it was
   * still there) or the entry of a newer session elsewhere (then nothing changes).
   */
  private static final String RESYNC =
      "local v = redis.call('GET', KEYS[1])\n"
          + "if (not v) or string.find(v, ARGV[3], 1, true) then\n"
          + "  redis.call('SET', KEYS[1], ARGV[1]); redis.call('SADD', KEYS[2], ARGV[2])\n"
          + "  if v then return 'ours' end\n"
          + "  return 'missing'\n"
          + "end\n"
          + "return v";

  /** Deletes the entry if it points at the given instance; returns it if deleted. */
  private static final String DROP_IF_INSTANCE =
      "local v = redis.call('GET', KEYS[1])\n"
          + "if v and string.sub(v, 1, #ARGV[1]) == ARGV[1] then\n"
          + "  redis.call('DEL', KEYS[1]); return v\n"
          + "end\n"
          + "return false";

  private record Local(RoutedSession session, long token) {}

  private record Entry(String instance, long token, Presence status, String name) {
    static Entry parse(byte[] raw) {
      if (raw == null) {
        return null;
      }
      String[] p = new String(raw, StandardCharsets.UTF_8).split("\\|", 4);
      return new Entry(p[0], Long.parseLong(p[1]), Presence.valueOf(Integer.parseInt(p[2])), p[3]);
    }
  }

  private final String instance;
  private final Duration nodeTtl;
  private final Duration kickTimeout;
  private final FriendStore friends;
  private final DeliveryRecorder recorder;
  private final RedisClient client;
  private final StatefulRedisConnection<String, byte[]> connection;
  private final RedisCommands<String, byte[]> redis;
  private final StatefulRedisConnection<String, byte[]> readerConnection;
  private final ConcurrentMap<Long, Local> local = new ConcurrentHashMap<>();
  private final ConcurrentMap<Long, CompletableFuture<Presence>> kicks = new ConcurrentHashMap<>();
  private final AtomicLong requestIds = new AtomicLong();

  /**
   * Users a push to whom may have been lost, with the sequence number of the last such fault: a
   * {@link Envelope.Resync} must precede the next push to them.
   */
  private final ConcurrentMap<Long, Long> mayHaveLost = new ConcurrentHashMap<>();

  private final AtomicLong faults = new AtomicLong();

  /** Sessions held back until they are registered again (keep-alive thread only). */
  private final Set<RoutedSession> heldUntilRegistered = new java.util.LinkedHashSet<>();

  private final SecureRandom random = new SecureRandom();
  private final ScheduledExecutorService keepAlive;
  private final ExecutorService kickWorker;
  private final Thread reader;
  private volatile boolean healthy = true;
  private volatile boolean needsResync;
  private volatile boolean closed;

  /**
   * Connects to Redis, registers this node instance and starts its keep-alive and stream reader.
   *
   * @param nodeId this node's configured id (a random suffix makes each process start a new
   *     instance, so a restarted node never mistakes its predecessor's sessions for its own)
   * @param nodeTtl how long after its last keep-alive a dead node's users are shown offline, at
   *     most
   * @param friends to tell friends of a dead node's users that they went offline
   * @param recorder flushed before a kicked session is acknowledged, so that the new session's
   *     backlog does not repeat what the old one delivered
   */
  public RedisSessionRouter(
      String redisUri,
      String nodeId,
      Duration nodeTtl,
      FriendStore friends,
      DeliveryRecorder recorder) {
    this.instance = sanitize(nodeId) + "." + Long.toString(random.nextLong() >>> 1, 36);
    this.nodeTtl = nodeTtl;
    this.kickTimeout = min(nodeTtl, Duration.ofSeconds(5));
    this.friends = friends;
    this.recorder = recorder;
    RedisURI uri = RedisURI.create(redisUri);
    uri.setTimeout(Duration.ofSeconds(2));
    this.client = RedisClient.create(uri);
    client.setOptions(
        ClientOptions.builder()
            .autoReconnect(true)
            // Fail fast while Redis is away instead of queueing: local users keep being served.
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(2)).build())
            .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(2)))
            .build());
    RedisCodec<String, byte[]> codec = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
    this.connection = client.connect(codec);
    this.redis = connection.sync();
    this.readerConnection = client.connect(codec);
    registerInstance();
    this.keepAlive =
        Executors.newSingleThreadScheduledExecutor(daemon("imps-redis-keepalive-" + instance));
    this.kickWorker = Executors.newCachedThreadPool(daemon("imps-redis-kick"));
    long tick = Math.max(100, nodeTtl.toMillis() / 6);
    keepAlive.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.MILLISECONDS);
    this.reader = daemon("imps-redis-reader-" + instance).newThread(this::readLoop);
    reader.start();
    log.info("cluster node instance {} registered in Redis {}", instance, uri.toURI().getHost());
  }

  /** This process's instance id (node id plus a random suffix). */
  public String instance() {
    return instance;
  }

  @Override
  public boolean isHealthy() {
    return healthy;
  }

  // ---------------------------------------------------------------------------------------------
  // SessionRouter

  @Override
  public Presence claim(RoutedSession session) {
    long uid = session.userId();
    long token = random.nextLong();
    Local mine = new Local(session, token);
    Local old = local.put(uid, mine);
    Presence before = Presence.OFFLINE;
    if (old != null && old.session() != session) {
      before = kickLocal(old.session());
    }
    try {
      Entry prev =
          Entry.parse(
              redis.eval(
                  CLAIM,
                  ScriptOutputType.VALUE,
                  new String[] {userKey(uid), usersKey(instance)},
                  value(mine),
                  bytes(Long.toString(uid))));
      if (prev != null && !prev.instance().equals(instance)) {
        before = kickRemote(uid, prev);
      }
    } catch (RedisException e) {
      fault("registering the session of user " + uid, e);
    }
    return before;
  }

  @Override
  public boolean release(RoutedSession session) {
    long uid = session.userId();
    Local l = local.get(uid);
    if (l == null || l.session() != session || !local.remove(uid, l)) {
      return false;
    }
    try {
      Long deleted =
          redis.eval(
              RELEASE,
              ScriptOutputType.INTEGER,
              new String[] {userKey(uid), usersKey(instance)},
              bytes(instance + "|" + l.token() + "|"),
              bytes(Long.toString(uid)),
              bytes(instance + "|"));
      return deleted != null && deleted == 1;
    } catch (RedisException e) {
      // Friends on this node are told; the entry is dropped when Redis is back (resync).
      fault("releasing the session of user " + uid, e);
      return true;
    }
  }

  @Override
  public void statusChanged(RoutedSession session) {
    Local l = local.get(session.userId());
    if (l == null || l.session() != session) {
      return;
    }
    try {
      redis.eval(
          UPDATE,
          ScriptOutputType.INTEGER,
          new String[] {userKey(session.userId())},
          bytes(instance + "|" + l.token() + "|"),
          value(l));
    } catch (RedisException e) {
      fault("recording a status change of user " + session.userId(), e);
    }
  }

  @Override
  public Presence visibleStatus(long userId) {
    Local l = local.get(userId);
    if (l != null) {
      return l.session().isVisible() ? Presence.ONLINE : Presence.OFFLINE;
    }
    try {
      Entry e = Entry.parse(redis.get(userKey(userId)));
      return e != null && e.status() == Presence.ONLINE ? Presence.ONLINE : Presence.OFFLINE;
    } catch (RedisException e) {
      fault("looking up user " + userId, e);
      return Presence.OFFLINE;
    }
  }

  @Override
  public boolean deliver(long userId, Push push) {
    Local l = local.get(userId);
    if (l != null) {
      return l.session().deliver(push);
    }
    try {
      Entry e = Entry.parse(redis.get(userKey(userId)));
      if (e == null || e.instance().equals(instance)) {
        // No session elsewhere: a later login reads everything stored. (A node whose entries
        // were dropped while its sessions lived resynchronises them itself, see resync().)
        if (e == null) {
          mayHaveLost.remove(userId);
        }
        return false;
      }
      Long lost = mayHaveLost.get(userId);
      if (lost != null) {
        // Synchronous, on the same connection as the pushes: confirmed before this push is sent,
        // so the other node holds the session's pushes back before this one arrives.
        redis.xadd(streamKey(e.instance()), streamArgs(), payload(new Envelope.Resync(userId)));
        mayHaveLost.remove(userId, lost);
      }
      // Asynchronous: commands on one connection stay in order, so one sender's pushes to one
      // user reach the other node's stream in the order they were made.
      send(e.instance(), new Envelope.PushTo(userId, push))
          .whenComplete(
              (id, t) -> {
                if (t != null) {
                  mayHaveLost(userId);
                }
              });
      return true;
    } catch (RedisException e) {
      // A stored message or outcome stays undelivered and comes at the user's next login, or
      // with the resync that precedes the next push to the user.
      mayHaveLost(userId);
      fault("pushing to user " + userId, e);
      return false;
    }
  }

  private void mayHaveLost(long userId) {
    if (!closed) {
      mayHaveLost.put(userId, faults.incrementAndGet());
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    keepAlive.shutdownNow();
    reader.interrupt();
    try {
      reader.join(3000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    kickWorker.shutdown();
    try {
      // Sessions are closed by now; remove what is left of this instance.
      for (Map.Entry<Long, Local> e : local.entrySet()) {
        redis.eval(
            RELEASE,
            ScriptOutputType.INTEGER,
            new String[] {userKey(e.getKey()), usersKey(instance)},
            bytes(instance + "|" + e.getValue().token() + "|"),
            bytes(Long.toString(e.getKey())),
            bytes(instance + "|"));
      }
      redis.del(aliveKey(instance), usersKey(instance), streamKey(instance));
      redis.srem(INSTANCES, bytes(instance));
    } catch (RedisException e) {
      log.warn("could not deregister {} from Redis: {}", instance, e.getMessage());
    }
    local.clear();
    readerConnection.close();
    connection.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }

  // ---------------------------------------------------------------------------------------------
  // Kicks

  /** Ends an older session on this node; returns what friends saw of it. */
  private static Presence kickLocal(RoutedSession old) {
    Presence friendsSaw = old.replaceByNewerLogin();
    old.awaitClosed();
    return friendsSaw;
  }

  /**
   * Asks the instance holding the older session to end it and waits (bounded) for its answer. A
   * dead instance cannot answer: then friends saw what its entry says until the entry was replaced.
   */
  private Presence kickRemote(long uid, Entry prev) {
    Presence fromEntry = prev.status().seenByFriends();
    if (redis.exists(aliveKey(prev.instance())) == 0) {
      return fromEntry;
    }
    long requestId = requestIds.incrementAndGet();
    CompletableFuture<Presence> ack = new CompletableFuture<>();
    kicks.put(requestId, ack);
    try {
      send(prev.instance(), new Envelope.Kick(uid, prev.token(), requestId, instance));
      return ack.get(kickTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fromEntry;
    } catch (ExecutionException | TimeoutException e) {
      log.warn(
          "instance {} did not confirm ending the older session of user {} within {}",
          prev.instance(),
          uid,
          kickTimeout);
      return fromEntry;
    } finally {
      kicks.remove(requestId);
    }
  }

  /** On the reader thread: a newer login elsewhere replaces a session of this node. */
  private void onKick(Envelope.Kick k) {
    Local l = local.get(k.userId());
    if (l == null || l.token() != k.token() || !local.remove(k.userId(), l)) {
      send(k.replyTo(), new Envelope.KickAck(k.requestId(), Presence.OFFLINE));
      return;
    }
    RoutedSession old = l.session();
    Presence before = old.replaceByNewerLogin();
    // Waiting for the close and the delivery marks would stall every push behind this one.
    kickWorker.execute(
        () -> {
          old.awaitClosed();
          recorder.awaitFlushed();
          try {
            send(k.replyTo(), new Envelope.KickAck(k.requestId(), before));
          } catch (RedisException e) {
            fault("acknowledging a kick", e);
          }
        });
  }

  // ---------------------------------------------------------------------------------------------
  // Streams

  private CompletableFuture<String> send(String toInstance, Envelope e) {
    CompletableFuture<String> sent =
        connection
            .async()
            .xadd(streamKey(toInstance), streamArgs(), payload(e))
            .toCompletableFuture();
    sent.exceptionally(
        t -> {
          fault("sending to instance " + toInstance, t);
          return null;
        });
    return sent;
  }

  private static XAddArgs streamArgs() {
    return XAddArgs.Builder.maxlen(STREAM_MAX_LEN).approximateTrimming();
  }

  private static Map<String, byte[]> payload(Envelope e) {
    return Map.of("p", Envelope.encode(e));
  }

  private void readLoop() {
    String lastId = "0-0";
    while (!closed && !Thread.currentThread().isInterrupted()) {
      try {
        List<StreamMessage<String, byte[]>> batch =
            readerConnection
                .sync()
                .xread(
                    XReadArgs.Builder.block(Duration.ofMillis(1000)).count(READ_BATCH),
                    XReadArgs.StreamOffset.from(streamKey(instance), lastId));
        for (StreamMessage<String, byte[]> m : batch) {
          lastId = m.getId();
          byte[] payload = m.getBody().get("p");
          if (payload != null) {
            handle(payload);
          }
        }
      } catch (RedisException e) {
        if (closed) {
          return;
        }
        fault("reading this node's stream", e);
        sleep(500);
      } catch (RuntimeException e) {
        log.error("cluster message failed", e);
      }
    }
  }

  private void handle(byte[] payload) {
    Envelope e = Envelope.decode(payload);
    if (e instanceof Envelope.PushTo p) {
      Local l = local.get(p.userId());
      if (l != null) {
        l.session().deliver(p.push());
      }
    } else if (e instanceof Envelope.Kick k) {
      onKick(k);
    } else if (e instanceof Envelope.KickAck a) {
      CompletableFuture<Presence> f = kicks.get(a.requestId());
      if (f != null) {
        f.complete(a.before());
      }
    } else if (e instanceof Envelope.Resync r) {
      Local l = local.get(r.userId());
      if (l != null) {
        resyncSession(l.session());
      }
    }
  }

  /**
   * Holds the session's pushes back at once (so that none handled after this overtakes the stored
   * items) and hands the resend of what is stored to the registered handler.
   */
  private static void resyncSession(RoutedSession s) {
    if (s.holdForResync()) {
      s.resendStored();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Liveness: keep-alive, dead-node sweep, recovery

  private void registerInstance() {
    redis.set(aliveKey(instance), bytes(Long.toString(System.currentTimeMillis())), aliveArgs());
    redis.sadd(INSTANCES, bytes(instance));
  }

  private SetArgs aliveArgs() {
    return SetArgs.Builder.px(Math.max(300, nodeTtl.toMillis() * 2 / 3));
  }

  private void tick() {
    try {
      byte[] prev =
          redis.setGet(
              aliveKey(instance), bytes(Long.toString(System.currentTimeMillis())), aliveArgs());
      redis.sadd(INSTANCES, bytes(instance));
      if (prev == null) {
        // The alive key had expired (a long outage or pause) or Redis lost its data: others may
        // have cleaned this instance out. Register every local session again.
        log.warn("instance {} was missing from Redis; registering its sessions again", instance);
        needsResync = true;
        // Another node may have cleaned this instance out meanwhile: deleted its stream with
        // pushes not yet read, and dropped its users' entries, so that pushes to them failed.
        // Hold their pushes back before the entries exist again; once they do, resend what is
        // stored (resync()).
        for (Local l : local.values()) {
          if (l.session().holdForResync()) {
            heldUntilRegistered.add(l.session());
          }
        }
      }
      if (!healthy) {
        log.info("Redis reachable again from instance {}", instance);
        healthy = true;
        needsResync = true;
      }
      if (needsResync) {
        resync();
      }
      sweep();
    } catch (RedisException e) {
      fault("keeping instance " + instance + " alive", e);
    } catch (RuntimeException e) {
      log.error("cluster keep-alive failed", e);
    }
  }

  /** Cleans out instances whose alive key expired. */
  private void sweep() {
    Set<byte[]> members = redis.smembers(INSTANCES);
    for (byte[] m : members) {
      String other = new String(m, StandardCharsets.UTF_8);
      if (other.equals(instance) || redis.exists(aliveKey(other)) > 0) {
        continue;
      }
      String lock = PREFIX + "clean:" + other;
      if (!"OK".equals(redis.set(lock, bytes(instance), SetArgs.Builder.nx().px(60_000)))) {
        continue; // another node is on it
      }
      try {
        cleanUp(other);
      } finally {
        redis.del(lock);
      }
    }
  }

  private void cleanUp(String dead) {
    Set<byte[]> users = redis.smembers(usersKey(dead));
    int offline = 0;
    for (byte[] u : users) {
      long uid = Long.parseLong(new String(u, StandardCharsets.UTF_8));
      Entry gone =
          Entry.parse(
              redis.eval(
                  DROP_IF_INSTANCE,
                  ScriptOutputType.VALUE,
                  new String[] {userKey(uid)},
                  bytes(dead + "|")));
      if (gone != null && gone.status() == Presence.ONLINE) {
        offline++;
        notifyFriends(uid, gone.name(), Presence.OFFLINE);
      }
    }
    redis.del(usersKey(dead), streamKey(dead));
    redis.srem(INSTANCES, bytes(dead));
    log.warn(
        "instance {} is gone: removed {} sessions, {} shown offline to friends",
        dead,
        users.size(),
        offline);
  }

  private void notifyFriends(long userId, String name, Presence status) {
    Push push = Push.of(new StatusNotifyPush(name, status));
    try {
      for (long friendId : friends.friendIds(userId)) {
        deliver(friendId, push);
      }
    } catch (RuntimeException e) {
      log.warn("could not tell friends of user {} about status {}", userId, status, e);
    }
  }

  /**
   * Registers local sessions again after Redis was unreachable or lost this instance: ends those
   * whose user logged in elsewhere meanwhile, tells friends about those whose entry had gone, and
   * drops entries of sessions that ended during the outage.
   */
  private void resync() {
    needsResync = false;
    String lock = PREFIX + "clean:" + instance;
    if (!"OK".equals(redis.set(lock, bytes(instance), SetArgs.Builder.nx().px(60_000)))) {
      needsResync = true; // a sweep of this instance is still running: next tick
      return;
    }
    try {
      for (Map.Entry<Long, Local> e : new ArrayList<>(local.entrySet())) {
        long uid = e.getKey();
        Local l = e.getValue();
        byte[] r =
            redis.eval(
                RESYNC,
                ScriptOutputType.VALUE,
                new String[] {userKey(uid), usersKey(instance)},
                value(l),
                bytes(Long.toString(uid)),
                bytes("|" + l.token() + "|"));
        String result = new String(r, StandardCharsets.UTF_8);
        if (result.equals("missing")) {
          if (!heldUntilRegistered.contains(l.session())) {
            resyncSession(l.session()); // pushes to it found no entry
          }
          if (l.session().isVisible()) {
            notifyFriends(uid, l.session().userName(), Presence.ONLINE);
          }
        } else if (!result.equals("ours") && local.remove(uid, l)) {
          log.info("user {} logged in elsewhere while Redis was away; ending this session", uid);
          kickWorker.execute(() -> kickLocal(l.session()));
        }
      }
      for (byte[] u : redis.smembers(usersKey(instance))) {
        long uid = Long.parseLong(new String(u, StandardCharsets.UTF_8));
        if (local.containsKey(uid)) {
          continue;
        }
        Entry gone =
            Entry.parse(
                redis.eval(
                    DROP_IF_INSTANCE,
                    ScriptOutputType.VALUE,
                    new String[] {userKey(uid)},
                    bytes(instance + "|")));
        redis.srem(usersKey(instance), u);
        if (gone != null && gone.status() == Presence.ONLINE) {
          notifyFriends(uid, gone.name(), Presence.OFFLINE);
        }
      }
      for (RoutedSession s : heldUntilRegistered) {
        s.resendStored();
      }
      heldUntilRegistered.clear();
    } finally {
      redis.del(lock);
    }
  }

  private void fault(String what, Throwable e) {
    if (closed) {
      return;
    }
    if (healthy) {
      log.error(
          "Redis fault while {}: {}; serving local users only until it is back",
          what,
          e.toString());
    } else {
      log.debug("Redis still unavailable while {}: {}", what, e.toString());
    }
    healthy = false;
  }

  // ---------------------------------------------------------------------------------------------

  private byte[] value(Local l) {
    RoutedSession s = l.session();
    Presence status = s.isVisible() ? Presence.ONLINE : Presence.INVISIBLE;
    return bytes(instance + "|" + l.token() + "|" + status.value() + "|" + s.userName());
  }

  private static String userKey(long uid) {
    return PREFIX + "u:" + uid;
  }

  private static String usersKey(String instance) {
    return PREFIX + "n:" + instance;
  }

  private static String aliveKey(String instance) {
    return PREFIX + "alive:" + instance;
  }

  private static String streamKey(String instance) {
    return PREFIX + "s:" + instance;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String sanitize(String nodeId) {
    String id = nodeId == null ? "" : nodeId.replaceAll("[^A-Za-z0-9_.-]", "_");
    if (id.isEmpty()) {
      id = "node-" + ProcessHandle.current().pid();
    }
    return id.toLowerCase(Locale.ROOT);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicLong n = new AtomicLong();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
