package imps.server.presence;

import static imps.server.ServiceFixture.take;
import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.Presence;
import imps.protocol.message.StatusNotifyPush;
import imps.server.ServiceFixture;
import imps.server.session.Session;
import imps.server.store.UserRecord;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What friends are told of a user's presence (section 7.4): only changes, each once, in order, and
 * only to friends who are online.
 */
class PresenceServiceTest {
  @TempDir Path dir;
  ServiceFixture services;
  PresenceService presence;
  UserRecord alice;
  UserRecord bob;
  Session watcher;

  @BeforeEach
  void open() {
    services = new ServiceFixture(dir);
    presence = services.presence();
    alice = services.user("alice");
    bob = services.user("bob");
    services.befriend(alice, bob);
    watcher = services.online(bob);
  }

  @AfterEach
  void close() {
    services.close();
  }

  @Test
  void comingOnlineIsToldToOnlineFriendsOnce() {
    Session a = services.online(alice);
    presence.announce(a);
    assertThat(take(watcher)).containsExactly(new StatusNotifyPush("alice", Presence.ONLINE));
    assertThat(a.friendsSee()).isEqualTo(Presence.ONLINE);
    presence.announce(a);
    assertThat(take(watcher)).as("no change, nothing told").isEmpty();
  }

  @Test
  void goingInvisibleLooksLikeGoingOfflineAndIsToldOnce() {
    Session a = services.online(alice);
    presence.announce(a);
    take(watcher);
    a.setStatus(Presence.INVISIBLE);
    presence.announce(a);
    assertThat(take(watcher)).containsExactly(new StatusNotifyPush("alice", Presence.OFFLINE));
    presence.announce(a);
    assertThat(take(watcher)).isEmpty();
    a.setStatus(Presence.ONLINE);
    presence.announce(a);
    assertThat(take(watcher)).containsExactly(new StatusNotifyPush("alice", Presence.ONLINE));
  }

  @Test
  void anInvisibleLoginTellsNobody() {
    Session a = services.online(alice);
    a.setStatus(Presence.INVISIBLE);
    presence.announce(a);
    assertThat(take(watcher)).isEmpty();
    assertThat(a.friendsSee()).isEqualTo(Presence.OFFLINE);
  }

  @Test
  void signingOutIsToldAsOfflineOnceAndOnlyIfFriendsSawOnline() {
    Session a = services.online(alice);
    presence.announce(a);
    take(watcher);
    a.end();
    presence.signedOut(a);
    assertThat(take(watcher)).containsExactly(new StatusNotifyPush("alice", Presence.OFFLINE));
    presence.signedOut(a);
    assertThat(take(watcher)).as("released already").isEmpty();

    Session invisible = services.online(alice);
    invisible.setStatus(Presence.INVISIBLE);
    presence.announce(invisible);
    invisible.end();
    presence.signedOut(invisible);
    assertThat(take(watcher)).as("friends saw offline all along").isEmpty();
  }

  @Test
  void aNewerLoginTakesOverWithoutFlickerAndTheOldSignOutIsNotTold() {
    Session first = services.online(alice);
    presence.announce(first);
    take(watcher);
    Session second = services.online(alice); // replaces the first
    assertThat(first.isActive()).isFalse();
    assertThat(second.friendsSee()).as("carried over").isEqualTo(Presence.ONLINE);
    presence.announce(second);
    presence.signedOut(first);
    assertThat(take(watcher)).as("no offline then online").isEmpty();
    second.end();
    presence.signedOut(second);
    assertThat(take(watcher)).containsExactly(new StatusNotifyPush("alice", Presence.OFFLINE));
  }

  @Test
  void anEndedSessionAnnouncesNothing() {
    Session a = services.online(alice);
    a.end();
    presence.announce(a);
    assertThat(take(watcher)).isEmpty();
  }

  @Test
  void offlineFriendsAreNotTold() {
    UserRecord carol = services.user("carol");
    services.befriend(alice, carol);
    Session a = services.online(alice);
    presence.announce(a);
    assertThat(take(watcher)).containsExactly(new StatusNotifyPush("alice", Presence.ONLINE));
    Session c = services.online(carol);
    assertThat(take(c)).as("carol logged in after the change").isEmpty();
  }
}
