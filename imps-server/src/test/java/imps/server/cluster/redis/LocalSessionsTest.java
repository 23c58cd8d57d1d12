package imps.server.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.Presence;
import imps.server.cluster.redis.LocalSessions.LocalSession;
import imps.server.cluster.redis.RedisDirectory.Entry;
import org.junit.jupiter.api.Test;

/** This node's sessions: a stale logout or kick never removes a newer login. */
class LocalSessionsTest {
  private final LocalSessions local = new LocalSessions();

  @Test
  void aNewerSessionReplacesTheOlderOne() {
    FakeSession first = new FakeSession(1, "a");
    FakeSession second = new FakeSession(1, "a");
    LocalSession l1 = new LocalSession(first, 10);
    LocalSession l2 = new LocalSession(second, 20);
    assertThat(local.put(l1)).isNull();
    assertThat(local.put(l2)).isSameAs(l1);
    assertThat(local.get(1)).isSameAs(l2);
    // The older session's logout and its entry's token no longer remove anything.
    assertThat(local.removeSession(first)).isNull();
    assertThat(local.removeToken(1, 10)).isNull();
    assertThat(local.remove(l1)).isFalse();
    assertThat(local.contains(1)).isTrue();
    assertThat(local.removeToken(1, 20)).isSameAs(l2);
    assertThat(local.contains(1)).isFalse();
  }

  @Test
  void removeSessionTakesOnlyThatSession() {
    FakeSession s = new FakeSession(2, "b");
    LocalSession l = new LocalSession(s, 5);
    local.put(l);
    assertThat(local.removeSession(new FakeSession(2, "b"))).isNull();
    assertThat(local.removeSession(s)).isSameAs(l);
    assertThat(local.all()).isEmpty();
  }

  @Test
  void theEntryCarriesTokenNameAndWhatFriendsMaySee() {
    FakeSession s = new FakeSession(3, "carol");
    LocalSession l = new LocalSession(s, -9);
    assertThat(l.entry("n.1")).isEqualTo(new Entry("n.1", -9, Presence.ONLINE, "carol"));
    s.visible = false;
    assertThat(l.entry("n.1").status()).isEqualTo(Presence.INVISIBLE);
  }

  @Test
  void resyncHoldsThenResendsOnceWhileOneIsQueued() {
    FakeSession s = new FakeSession(4, "d");
    LocalSession l = new LocalSession(s, 1);
    l.resync();
    assertThat(s.resends).isEqualTo(1);
    s.holds = true; // a resend is queued already
    l.resync();
    assertThat(s.resends).isEqualTo(1);
  }
}
