package imps.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.Presence;
import imps.protocol.message.MessagePush;
import imps.server.delivery.DeliveryMark;
import imps.server.delivery.Push;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The single-node router: one current session per user, and the newest login wins. */
class InMemorySessionRouterTest {

  /** A session that records what the router does to it. */
  private static final class FakeSession implements RoutedSession {
    final long userId;
    final List<Push> pushes = new ArrayList<>();
    boolean visible = true;
    boolean replaced;
    boolean awaitedClosed;

    FakeSession(long userId) {
      this.userId = userId;
    }

    @Override
    public long userId() {
      return userId;
    }

    @Override
    public String userName() {
      return "user" + userId;
    }

    @Override
    public boolean isVisible() {
      return visible;
    }

    @Override
    public boolean deliver(Push push) {
      if (replaced) {
        return false;
      }
      pushes.add(push);
      return true;
    }

    @Override
    public void closeByOperator() {
      replaced = true;
    }

    @Override
    public Presence replaceByNewerLogin() {
      boolean wasActive = !replaced;
      replaced = true;
      return wasActive && visible ? Presence.ONLINE : Presence.OFFLINE;
    }

    @Override
    public void awaitClosed() {
      awaitedClosed = true;
    }

    @Override
    public boolean holdForResync() {
      return false;
    }

    @Override
    public void resendStored() {}
  }

  private static Push push(long id) {
    return new Push(new MessagePush("a", "m" + id, "t"), DeliveryMark.message(id), id);
  }

  private final InMemorySessionRouter router = new InMemorySessionRouter();

  @Test
  void aFirstLoginFindsFriendsSeeingOfflineAndGetsThePushes() {
    FakeSession s = new FakeSession(1);
    assertThat(router.claim(s)).isEqualTo(Presence.OFFLINE);
    assertThat(router.deliver(1, push(1))).isTrue();
    assertThat(s.pushes).containsExactly(push(1));
    assertThat(router.deliver(2, push(2))).as("nobody online").isFalse();
  }

  @Test
  void theNewestLoginWinsAndInheritsWhatFriendsSaw() {
    FakeSession first = new FakeSession(1);
    FakeSession second = new FakeSession(1);
    router.claim(first);
    assertThat(router.claim(second)).isEqualTo(Presence.ONLINE);
    assertThat(first.replaced).isTrue();
    assertThat(first.awaitedClosed).as("no push may reach it any more").isTrue();
    router.deliver(1, push(1));
    assertThat(first.pushes).isEmpty();
    assertThat(second.pushes).containsExactly(push(1));
  }

  @Test
  void anInvisibleSessionReplacedLeavesFriendsSeeingOffline() {
    FakeSession first = new FakeSession(1);
    first.visible = false;
    router.claim(first);
    assertThat(router.claim(new FakeSession(1))).isEqualTo(Presence.OFFLINE);
  }

  @Test
  void claimingTheCurrentSessionAgainReplacesNothing() {
    FakeSession s = new FakeSession(1);
    router.claim(s);
    assertThat(router.claim(s)).isEqualTo(Presence.OFFLINE);
    assertThat(s.replaced).isFalse();
  }

  @Test
  void onlyTheCurrentSessionIsReleased() {
    FakeSession first = new FakeSession(1);
    FakeSession second = new FakeSession(1);
    router.claim(first);
    router.claim(second);
    assertThat(router.release(first)).as("replaced already").isFalse();
    assertThat(router.visibleStatus(1)).isEqualTo(Presence.ONLINE);
    assertThat(router.release(second)).isTrue();
    assertThat(router.release(second)).isFalse();
    assertThat(router.deliver(1, push(1))).isFalse();
    assertThat(router.visibleStatus(1)).isEqualTo(Presence.OFFLINE);
  }

  @Test
  void friendsSeeAVisibleCurrentSessionOnlineAndAnythingElseOffline() {
    FakeSession s = new FakeSession(1);
    assertThat(router.visibleStatus(1)).isEqualTo(Presence.OFFLINE);
    router.claim(s);
    assertThat(router.visibleStatus(1)).isEqualTo(Presence.ONLINE);
    s.visible = false;
    router.statusChanged(s);
    assertThat(router.visibleStatus(1)).isEqualTo(Presence.OFFLINE);
    assertThat(router.isHealthy()).isTrue();
  }

  @Test
  void aSessionThatRefusesThePushReportsItUndelivered() {
    FakeSession s = new FakeSession(1);
    router.claim(s);
    s.replaced = true; // ended on its own, not yet released
    assertThat(router.deliver(1, push(1))).isFalse();
  }

  @Test
  void closingForgetsEverySession() {
    router.claim(new FakeSession(1));
    router.claim(new FakeSession(2));
    router.close();
    assertThat(router.deliver(1, push(1))).isFalse();
    assertThat(router.visibleStatus(2)).isEqualTo(Presence.OFFLINE);
  }
}
