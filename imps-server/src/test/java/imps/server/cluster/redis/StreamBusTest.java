package imps.server.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.Presence;
import imps.protocol.message.FriendRequestPush;
import imps.server.delivery.Push;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each envelope from the stream reaches its own handler. */
class StreamBusTest {

  private final List<Envelope> seen = new ArrayList<>();
  private final List<String> by = new ArrayList<>();

  private final StreamBus.Handlers handlers =
      new StreamBus.Handlers() {
        @Override
        public void push(Envelope.PushTo p) {
          record("push", p);
        }

        @Override
        public void kick(Envelope.Kick k) {
          record("kick", k);
        }

        @Override
        public void kickAck(Envelope.KickAck a) {
          record("kickAck", a);
        }

        @Override
        public void resync(Envelope.Resync r) {
          record("resync", r);
        }
      };

  private void record(String handler, Envelope e) {
    by.add(handler);
    seen.add(e);
  }

  @Test
  void dispatchesEachKindToItsHandlerAfterTheTripThroughBytes() {
    List<Envelope> sent =
        List.of(
            new Envelope.PushTo(1, Push.of(new FriendRequestPush("a"))),
            new Envelope.Kick(2, 3, 4, "n.1"),
            new Envelope.KickAck(4, Presence.ONLINE),
            new Envelope.Resync(5));
    for (Envelope e : sent) {
      StreamBus.dispatch(Envelope.decode(Envelope.encode(e)), handlers);
    }
    assertThat(by).containsExactly("push", "kick", "kickAck", "resync");
    assertThat(seen).containsExactlyElementsOf(sent);
  }

  @Test
  void constructingItTalksToNobodyAndClosingAnUnstartedBusIsFine() {
    StreamBus bus = new StreamBus("n.1", null, null, new RedisHealth());
    bus.close();
  }
}
