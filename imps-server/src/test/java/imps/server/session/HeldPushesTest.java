package imps.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.Presence;
import imps.protocol.message.FriendRequestPush;
import imps.protocol.message.MessagePush;
import imps.protocol.message.StatusNotifyPush;
import imps.server.delivery.DeliveryMark;
import imps.server.delivery.Push;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HeldPushesTest {
  private static Push message(long id) {
    return new Push(new MessagePush("a", "x".repeat(100), "t"), DeliveryMark.message(id), id);
  }

  @Test
  void storedItemsAreHeldUpToTheBudgetThenLeftToTheStoreInOrder() {
    long each = message(0).weight();
    HeldPushes h = new HeldPushes(3 * each);
    for (int i = 1; i <= 5; i++) {
      h.add(message(i));
    }
    assertThat(h.droppedStored()).isTrue();
    assertThat(h.pushes()).extracting(p -> p.mark().id()).containsExactly(1L, 2L, 3L);
    // Once one was dropped, later ones are dropped too, even if they would fit: no overtaking.
    h.removeSent(Set.of(DeliveryMark.message(1)));
    h.add(message(6));
    assertThat(h.pushes()).extracting(p -> p.mark().id()).containsExactly(2L, 3L);
    h.clearDropped();
    h.add(message(7));
    assertThat(h.pushes()).extracting(p -> p.mark().id()).containsExactly(2L, 3L, 7L);
  }

  @Test
  void presenceIsCoalescedToTheLatestPerFriendAndRequestsAreKept() {
    HeldPushes h = new HeldPushes(1);
    h.add(Push.of(new StatusNotifyPush("bob", Presence.ONLINE)));
    h.add(Push.of(new StatusNotifyPush("carol", Presence.ONLINE)));
    h.add(Push.of(new StatusNotifyPush("bob", Presence.OFFLINE)));
    h.add(new Push(new FriendRequestPush("dave"), DeliveryMark.request(9), 9));
    assertThat(h.pushes())
        .extracting(Push::frame)
        .containsExactly(
            new StatusNotifyPush("carol", Presence.ONLINE),
            new StatusNotifyPush("bob", Presence.OFFLINE),
            new FriendRequestPush("dave"));
    assertThat(h.droppedStored()).isFalse();
  }
}
