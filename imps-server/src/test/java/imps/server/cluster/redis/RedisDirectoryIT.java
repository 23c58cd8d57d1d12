package imps.server.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.Presence;
import imps.server.cluster.redis.RedisDirectory.Entry;
import imps.server.cluster.redis.RedisDirectory.Reregistration;
import imps.testsupport.RedisTestServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The directory's scripts on a real Redis: no stale session ever changes a newer login's entry. */
class RedisDirectoryIT {
  @RegisterExtension static final RedisTestServer redis = RedisTestServer.perClass();
  private static RedisConnections connections;
  private static RedisDirectory dir;

  private static final long UID = 7;
  private final Entry a1 = new Entry("a.1", 11, Presence.ONLINE, "u");
  private final Entry a1newer = new Entry("a.1", 12, Presence.ONLINE, "u");
  private final Entry b1 = new Entry("b.1", 21, Presence.INVISIBLE, "u");

  @BeforeAll
  static void connect() {
    connections = RedisConnections.open(redis.uri());
    dir = new RedisDirectory(connections.commands().sync());
  }

  @AfterAll
  static void disconnect() {
    if (connections != null) {
      connections.close();
    }
  }

  /** Each test starts from an empty Redis (this class's own server). */
  @BeforeEach
  void empty() {
    redis.command("FLUSHALL");
  }

  @Test
  void claimReturnsThePreviousEntryAndListsTheUser() {
    assertThat(dir.claim(UID, a1)).isNull();
    assertThat(dir.claim(UID, b1)).isEqualTo(a1);
    assertThat(dir.lookup(UID)).isEqualTo(b1);
    assertThat(dir.usersOf("a.1")).containsExactly(UID);
    assertThat(dir.usersOf("b.1")).containsExactly(UID);
  }

  @Test
  void releaseDeletesOnlyTheSessionsOwnEntry() {
    dir.claim(UID, a1);
    assertThat(dir.release(UID, "a.1", 99)).isFalse();
    assertThat(dir.lookup(UID)).isEqualTo(a1);
    assertThat(dir.release(UID, "a.1", 11)).isTrue();
    assertThat(dir.lookup(UID)).isNull();
    assertThat(dir.usersOf("a.1")).isEmpty();
  }

  @Test
  void aStaleReleaseUnlistsTheUserOnlyWhenNoSessionOfThisInstanceHoldsIt() {
    // A newer login elsewhere: the entry stays, the user leaves this instance's set.
    dir.claim(UID, a1);
    dir.claim(UID, b1);
    assertThat(dir.release(UID, "a.1", 11)).isFalse();
    assertThat(dir.lookup(UID)).isEqualTo(b1);
    assertThat(dir.usersOf("a.1")).isEmpty();
    assertThat(dir.usersOf("b.1")).containsExactly(UID);

    // A newer login on the same instance: the entry stays and so does the user.
    dir.claim(UID, a1);
    dir.claim(UID, a1newer);
    assertThat(dir.release(UID, "a.1", 11)).isFalse();
    assertThat(dir.lookup(UID)).isEqualTo(a1newer);
    assertThat(dir.usersOf("a.1")).containsExactly(UID);

    // No entry at all: the user leaves the set.
    redis.command("DEL", RedisDirectory.userKey(UID));
    assertThat(dir.release(UID, "a.1", 12)).isFalse();
    assertThat(dir.usersOf("a.1")).isEmpty();
  }

  @Test
  void updateRewritesOnlyTheSessionsOwnEntry() {
    dir.claim(UID, a1);
    Entry invisible = new Entry("a.1", 11, Presence.INVISIBLE, "u");
    dir.update(UID, invisible);
    assertThat(dir.lookup(UID)).isEqualTo(invisible);
    dir.claim(UID, b1);
    dir.update(UID, a1);
    assertThat(dir.lookup(UID)).isEqualTo(b1);
  }

  @Test
  void reregisterWritesAMissingOrOwnEntryButLeavesANewerLogin() {
    assertThat(dir.reregister(UID, a1)).isEqualTo(Reregistration.MISSING);
    assertThat(dir.lookup(UID)).isEqualTo(a1);
    assertThat(dir.usersOf("a.1")).containsExactly(UID);
    // Its own entry, with the status it had before a change that was lost.
    Entry nowInvisible = new Entry("a.1", 11, Presence.INVISIBLE, "u");
    assertThat(dir.reregister(UID, nowInvisible)).isEqualTo(Reregistration.OURS);
    assertThat(dir.lookup(UID)).isEqualTo(nowInvisible);
    dir.claim(UID, b1);
    assertThat(dir.reregister(UID, a1)).isEqualTo(Reregistration.NEWER_ELSEWHERE);
    assertThat(dir.lookup(UID)).isEqualTo(b1);
  }

  @Test
  void reregisterMatchesTheWholeTokenOnly() {
    Entry token1 = new Entry("a.1", 1, Presence.ONLINE, "u");
    dir.claim(UID, new Entry("b.1", 11, Presence.ONLINE, "u"));
    assertThat(dir.reregister(UID, token1)).isEqualTo(Reregistration.NEWER_ELSEWHERE);
    Entry negative = new Entry("a.1", -5, Presence.ONLINE, "u");
    dir.claim(UID, negative);
    assertThat(dir.reregister(UID, negative)).isEqualTo(Reregistration.OURS);
  }

  @Test
  void dropIfAtDeletesOnlyEntriesNamingThatInstance() {
    dir.claim(UID, b1);
    assertThat(dir.dropIfAt(UID, "a.1")).isNull();
    assertThat(dir.lookup(UID)).isEqualTo(b1);
    assertThat(dir.dropIfAt(UID, "b.1")).isEqualTo(b1);
    assertThat(dir.lookup(UID)).isNull();
    assertThat(dir.dropIfAt(UID, "b.1")).isNull();
  }

  @Test
  void instancesStayAliveUntilTheirKeyExpires() throws InterruptedException {
    dir.addInstance("a.1", Duration.ofMillis(300));
    assertThat(dir.instances()).containsExactly("a.1");
    assertThat(dir.isAlive("a.1")).isTrue();
    assertThat(dir.keepAlive("a.1", Duration.ofMillis(300))).isTrue();
    Thread.sleep(500);
    assertThat(dir.isAlive("a.1")).isFalse();
    assertThat(dir.keepAlive("a.1", Duration.ofMillis(300))).isFalse();
    assertThat(dir.isAlive("a.1")).isTrue();
    dir.claim(UID, a1);
    dir.removeInstance("a.1");
    assertThat(dir.instances()).isEmpty();
    assertThat(dir.isAlive("a.1")).isFalse();
    assertThat(dir.usersOf("a.1")).isEmpty();
  }

  @Test
  void oneNodeAtATimeHoldsTheCleanupLock() {
    assertThat(dir.lockCleanup("dead.1", "a.1")).isTrue();
    assertThat(dir.lockCleanup("dead.1", "b.1")).isFalse();
    dir.unlockCleanup("dead.1");
    assertThat(dir.lockCleanup("dead.1", "b.1")).isTrue();
  }
}
