package imps.server.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.message.MessagePush;
import imps.server.session.Push;
import org.junit.jupiter.api.Test;

/** Envelopes survive their binary form. */
class EnvelopeTest {

  private static Envelope roundTrip(Envelope e) {
    return Envelope.decode(Envelope.encode(e));
  }

  @Test
  void resync() {
    assertThat(roundTrip(new Envelope.Resync(42))).isEqualTo(new Envelope.Resync(42));
    assertThat(Envelope.encode(new Envelope.Resync(1))[0]).isEqualTo(Envelope.RESYNC);
  }

  @Test
  void pushKickAndAck() {
    Envelope push =
        new Envelope.PushTo(
            7,
            new Push(
                new MessagePush("a", "hi", "2024-01-01 00:00:00"),
                new Push.DeliveryMark(Push.DeliveryMark.Kind.MESSAGE, 9)));
    assertThat(roundTrip(push)).isEqualTo(push);
    Envelope kick = new Envelope.Kick(7, -3, 11, "node.x1");
    assertThat(roundTrip(kick)).isEqualTo(kick);
    Envelope ack = new Envelope.KickAck(11, 2);
    assertThat(roundTrip(ack)).isEqualTo(ack);
  }
}
