package imps.server.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.Presence;
import imps.server.cluster.redis.RedisDirectory.Entry;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Entries, key names and scripts of the directory, without Redis. */
class RedisDirectoryTest {

  @Test
  void entriesSurviveTheirStoredForm() {
    Entry e = new Entry("node-a.x1", -42, Presence.INVISIBLE, "bob");
    assertThat(new String(e.encode(), StandardCharsets.UTF_8)).isEqualTo("node-a.x1|-42|1|bob");
    assertThat(Entry.parse(e.encode())).isEqualTo(e);
    assertThat(Entry.parse(null)).isNull();
  }

  @Test
  void theNameIsTheRestOfTheEntryEvenWithBars() {
    Entry e = new Entry("n.1", 7, Presence.ONLINE, "a|b|中文");
    assertThat(Entry.parse(e.encode())).isEqualTo(e);
  }

  @Test
  void prefixesTellASessionsEntriesAndAnInstancesEntries() {
    Entry e = new Entry("n.1", 7, Presence.ONLINE, "x");
    String stored = new String(e.encode(), StandardCharsets.UTF_8);
    assertThat(stored)
        .startsWith(Entry.sessionPrefix("n.1", 7))
        .startsWith(Entry.instancePrefix("n.1"));
    assertThat(stored).doesNotStartWith(Entry.sessionPrefix("n.1", 71));
    assertThat(stored).doesNotStartWith(Entry.instancePrefix("n.10"));
  }

  @Test
  void keyNames() {
    assertThat(RedisDirectory.userKey(5)).isEqualTo("imps:u:5");
    assertThat(RedisDirectory.usersKey("n.1")).isEqualTo("imps:n:n.1");
    assertThat(RedisDirectory.aliveKey("n.1")).isEqualTo("imps:alive:n.1");
    assertThat(RedisDirectory.streamKey("n.1")).isEqualTo("imps:s:n.1");
    assertThat(RedisDirectory.cleanupLockKey("n.1")).isEqualTo("imps:clean:n.1");
    assertThat(RedisDirectory.INSTANCES).isEqualTo("imps:instances");
  }

  @Test
  void scriptsAreSentWithoutTheirDocumentation() {
    for (String name :
        new String[] {
          "claim.lua", "release.lua", "update.lua", "reregister.lua", "drop-if-instance.lua"
        }) {
      String code = RedisDirectory.script(name);
      assertThat(code).as(name).startsWith("local ").doesNotContain("--").contains("KEYS[1]");
    }
  }

  @Test
  void constructingItTalksToNobody() {
    assertThat(new RedisDirectory(null)).isNotNull();
  }
}
