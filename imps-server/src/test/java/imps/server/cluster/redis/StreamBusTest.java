package imps.server.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.Presence;
import imps.protocol.message.FriendRequestPush;
import imps.server.cluster.NodeFigures;
import imps.server.delivery.Push;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

        @Override
        public void close(Envelope.Close c) {
          record("close", c);
        }

        @Override
        public void listSessions(Envelope.ListSessions l) {
          record("listSessions", l);
        }

        @Override
        public void sessionsPart(Envelope.SessionsPart p) {
          record("sessionsPart", p);
        }

        @Override
        public void askFigures(Envelope.AskFigures a) {
          record("askFigures", a);
        }

        @Override
        public void figures(Envelope.Figures f) {
          record("figures", f);
        }

        @Override
        public void trimmed() {
          by.add("trimmed");
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
            new Envelope.Resync(5),
            new Envelope.Close(6, 7),
            new Envelope.ListSessions(8, "n.2"),
            new Envelope.SessionsPart(8, "n.3", true, List.of()),
            new Envelope.AskFigures(9, "n.2"),
            new Envelope.Figures(9, "n.3", new NodeFigures("n", Map.of("online", 1L))));
    for (Envelope e : sent) {
      StreamBus.dispatch(Envelope.decode(Envelope.encode(e)), handlers);
    }
    assertThat(by)
        .containsExactly(
            "push",
            "kick",
            "kickAck",
            "resync",
            "close",
            "listSessions",
            "sessionsPart",
            "askFigures",
            "figures");
    assertThat(seen).containsExactlyElementsOf(sent);
  }

  @Test
  void theByteBudgetDecidesHowManyEntriesAStreamKeeps() {
    // 64 MiB of the largest envelopes (a frame of 65,535 bytes and its headers).
    assertThat(StreamBus.maxEntries(64L * 1024 * 1024)).isEqualTo(1022);
    assertThat(StreamBus.maxEntries(1)).isEqualTo(1);
  }

  @Test
  void theReaderNoticesEntriesTrimmedBeforeItReadThem() {
    StreamBus.Position at = new StreamBus.Position();
    // Entries 1 to 3, nothing trimmed.
    assertThat(at.advance(0, "1-0", "1-0", 3, "3-0")).isFalse();
    // Entries 1 to 4 trimmed (3 read): the batch starting at the stream's first entry follows a
    // gap.
    assertThat(at.advance(4, "5-0", "5-0", 2, "6-0")).isTrue();
    assertThat(at.ordinal).isEqualTo(6);
    // Up to 6 trimmed, all read: no gap.
    assertThat(at.advance(6, "7-0", "7-0", 1, "7-0")).isFalse();
    // The stream still holds older entries (read already): no gap, whatever was trimmed.
    assertThat(at.advance(6, "7-0", "8-0", 2, "9-0")).isFalse();
    assertThat(at.ordinal).isEqualTo(9);
    assertThat(at.lastId).isEqualTo("9-0");
  }

  @Test
  void constructingItTalksToNobodyAndClosingAnUnstartedBusIsFine() {
    StreamBus bus = new StreamBus("n.1", null, null, new RedisHealth(), 10);
    bus.close();
  }
}
