package imps.server.cluster.redis;

import imps.protocol.Presence;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who is online where, in Redis: each user's entry {@code imps:u:<id>} = {@code
 * instance|token|status|name}, each instance's user set {@code imps:n:<instance>}, the set of
 * instances {@code imps:instances} with their alive keys {@code imps:alive:<instance>}, and the
 * cleanup locks {@code imps:clean:<instance>}. Entries change only through the Lua scripts next to
 * this class (their KEYS and ARGV are documented at their top), so that each change is atomic.
 *
 * <p>Every method is one or a few Redis commands on the given connection and throws {@link
 * io.lettuce.core.RedisException} when Redis fails or times out. Thread-safe. The scripts touch
 * several keys, so all keys live in one Redis (a primary with replicas, not Redis Cluster).
 */
final class RedisDirectory {
  private static final String PREFIX = "imps:";
  static final String INSTANCES = PREFIX + "instances";
  private static final Duration CLEANUP_LOCK_TTL = Duration.ofSeconds(60);

  private static final String CLAIM = script("claim.lua");
  private static final String RELEASE = script("release.lua");
  private static final String UPDATE = script("update.lua");
  private static final String REREGISTER = script("reregister.lua");
  private static final String DROP_IF_INSTANCE = script("drop-if-instance.lua");

  /**
   * A user's entry: the instance holding the current session, that session's random token, the
   * status friends see (online or invisible) and the user's name (for offline notices after the
   * instance died).
   */
  record Entry(String instance, long token, Presence status, String name) {

    /** The entry as stored, or null for a missing key. */
    static Entry parse(byte[] raw) {
      if (raw == null) {
        return null;
      }
      String[] p = new String(raw, StandardCharsets.UTF_8).split("\\|", 4);
      return new Entry(p[0], Long.parseLong(p[1]), Presence.valueOf(Integer.parseInt(p[2])), p[3]);
    }

    byte[] encode() {
      return bytes(sessionPrefix(instance, token) + status.value() + "|" + name);
    }

    /** How the entries of the session {@code token} of {@code instance} begin. */
    static String sessionPrefix(String instance, long token) {
      return instancePrefix(instance) + token + "|";
    }

    /** How the entries of any session of {@code instance} begin. */
    static String instancePrefix(String instance) {
      return instance + "|";
    }
  }

  /** What {@link #reregister} found. */
  enum Reregistration {
    /** There was no entry; it is written again. */
    MISSING,
    /** The entry was still the session's own; it is rewritten. */
    OURS,
    /** A newer login of the user elsewhere holds the entry; nothing changed. */
    NEWER_ELSEWHERE
  }

  private final RedisCommands<String, byte[]> redis;

  RedisDirectory(RedisCommands<String, byte[]> redis) {
    this.redis = redis;
  }

  // ---------------------------------------------------------------------------------------------
  // User entries

  /** Makes {@code entry} the user's current one; returns the previous entry, or null. */
  Entry claim(long userId, Entry entry) {
    return Entry.parse(
        redis.eval(
            CLAIM,
            ScriptOutputType.VALUE,
            new String[] {userKey(userId), usersKey(entry.instance())},
            entry.encode(),
            bytes(Long.toString(userId))));
  }

  /**
   * Deletes the user's entry if it is still that of the session {@code token} of {@code instance}.
   * Returns whether it was.
   */
  boolean release(long userId, String instance, long token) {
    Long deleted =
        redis.eval(
            RELEASE,
            ScriptOutputType.INTEGER,
            new String[] {userKey(userId), usersKey(instance)},
            bytes(Entry.sessionPrefix(instance, token)),
            bytes(Long.toString(userId)),
            bytes(Entry.instancePrefix(instance)));
    return deleted != null && deleted == 1;
  }

  /** Replaces the user's entry by {@code entry} if it is still that session's. */
  void update(long userId, Entry entry) {
    redis.eval(
        UPDATE,
        ScriptOutputType.INTEGER,
        new String[] {userKey(userId)},
        bytes(Entry.sessionPrefix(entry.instance(), entry.token())),
        entry.encode());
  }

  /** The user's entry, or null when the user is not online on any node. */
  Entry lookup(long userId) {
    return Entry.parse(redis.get(userKey(userId)));
  }

  /**
   * The entries of {@code userIds}, in their order (null for a user online nowhere), in one round
   * trip ({@code MGET}).
   */
  List<Entry> lookupAll(List<Long> userIds) {
    if (userIds.isEmpty()) {
      return List.of();
    }
    String[] keys = new String[userIds.size()];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = userKey(userIds.get(i));
    }
    List<Entry> out = new ArrayList<>(keys.length);
    for (KeyValue<String, byte[]> kv : redis.mget(keys)) {
      out.add(kv.hasValue() ? Entry.parse(kv.getValue()) : null);
    }
    return out;
  }

  /** Registers a session again after an outage, unless a newer login elsewhere holds the entry. */
  Reregistration reregister(long userId, Entry entry) {
    byte[] r =
        redis.eval(
            REREGISTER,
            ScriptOutputType.VALUE,
            new String[] {userKey(userId), usersKey(entry.instance())},
            entry.encode(),
            bytes(Long.toString(userId)),
            bytes("|" + entry.token() + "|"));
    String result = new String(r, StandardCharsets.UTF_8);
    if (result.equals("missing")) {
      return Reregistration.MISSING;
    }
    return result.equals("ours") ? Reregistration.OURS : Reregistration.NEWER_ELSEWHERE;
  }

  /** Deletes the user's entry if it names {@code instance}; returns the deleted entry, or null. */
  Entry dropIfAt(long userId, String instance) {
    return Entry.parse(
        redis.eval(
            DROP_IF_INSTANCE,
            ScriptOutputType.VALUE,
            new String[] {userKey(userId)},
            bytes(Entry.instancePrefix(instance))));
  }

  // ---------------------------------------------------------------------------------------------
  // Instances

  /** The ids of the users {@code instance} has (or had, until cleaned up) sessions of. */
  Set<Long> usersOf(String instance) {
    return redis.smembers(usersKey(instance)).stream()
        .map(u -> Long.parseLong(new String(u, StandardCharsets.UTF_8)))
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  /** Takes {@code userId} off {@code instance}'s user set. */
  void forget(String instance, long userId) {
    redis.srem(usersKey(instance), bytes(Long.toString(userId)));
  }

  /** Every registered instance, alive or not yet cleaned up. */
  Set<String> instances() {
    return redis.smembers(INSTANCES).stream()
        .map(m -> new String(m, StandardCharsets.UTF_8))
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  /** Registers {@code instance}, alive for {@code ttl}. */
  void addInstance(String instance, Duration ttl) {
    redis.set(aliveKey(instance), now(), SetArgs.Builder.px(ttl.toMillis()));
    redis.sadd(INSTANCES, bytes(instance));
  }

  /**
   * Keeps {@code instance} alive for another {@code ttl}. Returns false when its alive key had
   * expired or vanished (others may have cleaned it out).
   */
  boolean keepAlive(String instance, Duration ttl) {
    byte[] prev = redis.setGet(aliveKey(instance), now(), SetArgs.Builder.px(ttl.toMillis()));
    redis.sadd(INSTANCES, bytes(instance));
    return prev != null;
  }

  boolean isAlive(String instance) {
    return redis.exists(aliveKey(instance)) > 0;
  }

  /**
   * Removes what is left of {@code instance}: its alive key, user set and stream, and its place in
   * the instance set. User entries are dropped before, one by one ({@link #dropIfAt}, {@link
   * #release}).
   */
  void removeInstance(String instance) {
    redis.del(aliveKey(instance), usersKey(instance), streamKey(instance));
    redis.srem(INSTANCES, bytes(instance));
  }

  /**
   * Takes the lock that lets one node at a time clean up, or register again, {@code instance}'s
   * users. Returns false when another holds it; it expires by itself should its holder die.
   */
  boolean lockCleanup(String instance, String holder) {
    return "OK"
        .equals(
            redis.set(
                cleanupLockKey(instance),
                bytes(holder),
                SetArgs.Builder.nx().px(CLEANUP_LOCK_TTL.toMillis())));
  }

  void unlockCleanup(String instance) {
    redis.del(cleanupLockKey(instance));
  }

  // ---------------------------------------------------------------------------------------------
  // Key names

  static String userKey(long userId) {
    return PREFIX + "u:" + userId;
  }

  static String usersKey(String instance) {
    return PREFIX + "n:" + instance;
  }

  static String aliveKey(String instance) {
    return PREFIX + "alive:" + instance;
  }

  static String streamKey(String instance) {
    return PREFIX + "s:" + instance;
  }

  static String cleanupLockKey(String instance) {
    return PREFIX + "clean:" + instance;
  }

  // ---------------------------------------------------------------------------------------------

  /** A script from its resource file, without the comment lines (Redis needs only the code). */
  static String script(String name) {
    try (InputStream in = RedisDirectory.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing script resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .filter(l -> !l.startsWith("--"))
          .collect(Collectors.joining("\n"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read script " + name, e);
    }
  }

  private static byte[] now() {
    return bytes(Long.toString(System.currentTimeMillis()));
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
