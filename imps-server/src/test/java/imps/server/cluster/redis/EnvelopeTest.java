package imps.server.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.Presence;
import imps.protocol.message.FriendRequestPush;
import imps.protocol.message.MessagePush;
import imps.protocol.message.StatusNotifyPush;
import imps.server.delivery.DeliveryMark;
import imps.server.delivery.Push;
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
  void operatorClose() {
    Envelope close = new Envelope.Close(42, -7);
    assertThat(roundTrip(close)).isEqualTo(close);
    assertThat(Envelope.encode(close)[0]).isEqualTo(Envelope.CLOSE);
  }

  @Test
  void sessionListsAndTheirParts() {
    Envelope ask = new Envelope.ListSessions(9, "node.x1");
    assertThat(roundTrip(ask)).isEqualTo(ask);
    Envelope part =
        new Envelope.SessionsPart(
            9,
            "node.y2",
            true,
            java.util.List.of(
                new imps.server.cluster.SessionInfo(
                    "Zoë", "2001:db8::1", "websocket", java.time.Instant.ofEpochMilli(1234), "b"),
                new imps.server.cluster.SessionInfo(
                    "al", "127.0.0.1", "tcp", java.time.Instant.ofEpochMilli(5), "b")));
    assertThat(roundTrip(part)).isEqualTo(part);
    Envelope empty = new Envelope.SessionsPart(10, "n", false, java.util.List.of());
    assertThat(roundTrip(empty)).isEqualTo(empty);
  }

  @Test
  void figuresAskedAndAnsweredKeepTheirOrder() {
    Envelope ask = new Envelope.AskFigures(11, "node.x1");
    assertThat(roundTrip(ask)).isEqualTo(ask);
    java.util.Map<String, Long> counts = new java.util.LinkedHashMap<>();
    counts.put("online", 3L);
    counts.put("messagesStored", 1L << 40);
    counts.put("clipsDelivered", 0L);
    Envelope.Figures answer =
        new Envelope.Figures(11, "node.y2", new imps.server.cluster.NodeFigures("Zoë-b", counts));
    Envelope back = roundTrip(answer);
    assertThat(back).isEqualTo(answer);
    assertThat(((Envelope.Figures) back).figures().counts().keySet())
        .containsExactly("online", "messagesStored", "clipsDelivered");
    assertThat(Envelope.encode(ask)[0]).isEqualTo(Envelope.ASK_FIGURES);
    assertThat(Envelope.encode(answer)[0]).isEqualTo(Envelope.FIGURES);
  }

  @Test
  void pushKickAndAck() {
    Envelope push =
        new Envelope.PushTo(
            7,
            new Push(
                new MessagePush("a", "hi", "2024-01-01 00:00:00"), DeliveryMark.message(9), 12));
    assertThat(roundTrip(push)).isEqualTo(push);
    Envelope kick = new Envelope.Kick(7, -3, 11, "node.x1");
    assertThat(roundTrip(kick)).isEqualTo(kick);
    Envelope ack = new Envelope.KickAck(11, Presence.ONLINE);
    assertThat(roundTrip(ack)).isEqualTo(ack);
  }

  /** Finding M5: every kind of delivery mark survives the trip between nodes. */
  @Test
  void everyMarkKindSurvives() {
    for (DeliveryMark mark :
        new DeliveryMark[] {
          DeliveryMark.message(5),
          DeliveryMark.outcome(6),
          DeliveryMark.request(7),
          DeliveryMark.receipt(8),
          null
        }) {
      Envelope push =
          new Envelope.PushTo(
              3, new Push(new FriendRequestPush("alice"), mark, mark == null ? 0 : 40));
      assertThat(roundTrip(push)).isEqualTo(push);
    }
    Envelope presence =
        new Envelope.PushTo(3, Push.of(new StatusNotifyPush("bob", Presence.OFFLINE)));
    assertThat(roundTrip(presence)).isEqualTo(presence);
  }
}
