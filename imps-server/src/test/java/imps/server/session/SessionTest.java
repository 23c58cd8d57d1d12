package imps.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.Feature;
import imps.protocol.Presence;
import imps.protocol.message.AudioPush;
import imps.protocol.message.ClipBytes;
import imps.protocol.message.MessagePush;
import imps.protocol.message.StatusNotifyPush;
import imps.protocol.message.StoredPush;
import imps.server.delivery.DeliveryMark;
import imps.server.delivery.DeliveryRecorder;
import imps.server.delivery.MessageCounts;
import imps.server.delivery.Push;
import imps.server.delivery.Pushes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The login-time delivery buffer: backlog first, then live pushes, without duplicates. */
class SessionTest {
  private static final class Recorder implements DeliveryRecorder {
    final List<DeliveryMark> marks = new ArrayList<>();

    @Override
    public void record(DeliveryMark mark) {
      marks.add(mark);
    }

    final List<Long> acks = new ArrayList<>();

    @Override
    public void recordAck(long userId, long seq) {
      acks.add(seq);
    }

    @Override
    public void awaitFlushed() {}

    @Override
    public CompletableFuture<Void> flushed() {
      return CompletableFuture.completedFuture(null);
    }
  }

  private static Push message(long id) {
    return new Push(new MessagePush("a", "m" + id, "t"), DeliveryMark.message(id), id);
  }

  @Test
  void livePushesWaitForTheBacklogAndDuplicatesAreDropped() {
    RecordingConnection c = new RecordingConnection();
    Recorder r = new Recorder();
    Session s =
        new Session(c, r, ignored -> CompletableFuture.completedFuture(null), new MessageCounts());
    assertThat(s.deliver(message(1))).as("anonymous sessions take no pushes").isFalse();
    s.startSync(7, "bob", "bob", Presence.ONLINE);
    assertThat(s.deliver(message(2))).isTrue(); // also in the backlog
    assertThat(s.deliver(message(3))).isTrue(); // live only
    assertThat(c.written()).isEmpty();
    s.writeBacklog(message(1));
    s.writeBacklog(message(2));
    assertThat(s.finishSync(Set.of(message(1).mark(), message(2).mark())))
        .isEqualTo(Session.SyncEnd.LIVE);
    assertThat(c.written())
        .extracting(m -> ((MessagePush) m).message())
        .containsExactly("m1", "m2", "m3");
    assertThat(r.marks).extracting(DeliveryMark::id).containsExactly(1L, 2L, 3L);
    s.deliver(message(4));
    assertThat(c.written()).hasSize(4);
  }

  @Test
  void restartedSyncHoldsNewPushesBehindTheResentBacklog() {
    RecordingConnection c = new RecordingConnection();
    Session s =
        new Session(
            c,
            new Recorder(),
            ignored -> CompletableFuture.completedFuture(null),
            new MessageCounts());
    assertThat(s.restartSync()).as("not live yet").isFalse();
    s.startSync(7, "bob", "bob", Presence.ONLINE);
    s.finishSync(Set.of());
    s.deliver(message(1));
    // Message 2's push was lost in transit; 3 arrives while 2 is being resent from the store.
    assertThat(s.restartSync()).isTrue();
    s.deliver(message(3));
    s.writeBacklog(message(2));
    s.writeBacklog(message(3));
    assertThat(s.finishSync(Set.of(message(2).mark(), message(3).mark())))
        .isEqualTo(Session.SyncEnd.LIVE);
    assertThat(c.written())
        .extracting(m -> ((MessagePush) m).message())
        .containsExactly("m1", "m2", "m3");
  }

  @Test
  void finishingAnEndedSyncIsRefused() {
    Session s =
        new Session(
            new RecordingConnection(),
            new Recorder(),
            ignored -> CompletableFuture.completedFuture(null),
            new MessageCounts());
    s.startSync(7, "bob", "bob", Presence.ONLINE);
    assertThat(s.isActive()).isTrue();
    s.end();
    assertThat(s.isActive()).isFalse();
    assertThat(s.finishSync(Set.of())).isEqualTo(Session.SyncEnd.ENDED);
  }

  private static Push clip(long id) {
    return new Push(
        new AudioPush("a", ClipBytes.copyOf(new byte[60 * 1024]), "t"),
        DeliveryMark.message(id),
        id);
  }

  @Test
  void floodDuringSyncLeavesStoredItemsToAnotherPassInsteadOfHoldingThemAll() {
    RecordingConnection c = new RecordingConnection();
    Session s =
        new Session(
            c,
            new Recorder(),
            ignored -> CompletableFuture.completedFuture(null),
            new MessageCounts());
    s.startSync(7, "bob", "bob", Presence.ONLINE);
    int fits = (int) (Session.MAX_HELD_BYTES / clip(0).weight());
    for (int i = 0; i < fits + 1000; i++) {
      assertThat(s.deliver(clip(i))).isTrue();
    }
    s.deliver(Push.of(new StatusNotifyPush("carol", Presence.ONLINE)));
    s.deliver(Push.of(new StatusNotifyPush("carol", Presence.OFFLINE)));
    assertThat(s.isActive()).isTrue();
    // The backlog pass ends: the clips that did not fit are in the store, so another pass comes.
    assertThat(s.finishSync(Set.of())).isEqualTo(Session.SyncEnd.AGAIN);
    assertThat(c.written()).isEmpty();
    // The next pass sends the rest from the store; then the session goes live with what it held.
    for (int i = fits; i < fits + 1000; i++) {
      s.writeBacklog(clip(i));
    }
    assertThat(s.finishSync(Set.of())).isEqualTo(Session.SyncEnd.LIVE);
    assertThat(c.written()).hasSize(fits + 1000 + 1);
    // Presence is held as the latest per friend only.
    assertThat(c.written().get(c.written().size() - 1))
        .isEqualTo(new StatusNotifyPush("carol", Presence.OFFLINE));
  }

  @Test
  void endedSessionRefusesPushes() {
    RecordingConnection c = new RecordingConnection();
    Session s =
        new Session(
            c,
            new Recorder(),
            ignored -> CompletableFuture.completedFuture(null),
            new MessageCounts());
    s.startSync(7, "bob", "bob", Presence.ONLINE);
    assertThat(s.finishSync(Set.of())).isEqualTo(Session.SyncEnd.LIVE);
    assertThat(s.end()).isTrue();
    assertThat(s.deliver(message(1))).isFalse();
    assertThat(s.end()).isFalse();
    assertThat(c.written()).isEmpty();
  }

  private static List<String> texts(RecordingConnection c) {
    return c.written().stream().map(m -> ((MessagePush) m).message()).toList();
  }

  @Test
  void heldForResyncPushesWaitForTheResentBacklog() {
    RecordingConnection c = new RecordingConnection();
    Session s =
        new Session(
            c,
            new Recorder(),
            ignored -> CompletableFuture.completedFuture(null),
            new MessageCounts());
    assertThat(s.holdForResync()).as("not logged in").isFalse();
    s.startSync(7, "bob", "bob", Presence.ONLINE);
    s.finishSync(Set.of());
    s.deliver(message(1));
    // Message 2's push was lost; the node learns it and holds pushes back at once.
    assertThat(s.holdForResync()).isTrue();
    assertThat(s.holdForResync()).as("one backlog run is enough").isFalse();
    s.deliver(message(3)); // arrives before the backlog runs
    assertThat(texts(c)).containsExactly("m1");
    assertThat(s.restartSync()).as("the held pushes are kept").isTrue();
    s.deliver(message(4));
    s.writeBacklog(message(2));
    s.writeBacklog(message(3));
    assertThat(s.finishSync(Set.of(message(2).mark(), message(3).mark())))
        .isEqualTo(Session.SyncEnd.LIVE);
    assertThat(texts(c)).containsExactly("m1", "m2", "m3", "m4");
  }

  @Test
  void resyncAskedForDuringTheLoginBacklogFollowsIt() {
    RecordingConnection c = new RecordingConnection();
    Session s =
        new Session(
            c,
            new Recorder(),
            ignored -> CompletableFuture.completedFuture(null),
            new MessageCounts());
    s.startSync(7, "bob", "bob", Presence.ONLINE);
    s.writeBacklog(message(1));
    assertThat(s.holdForResync()).isTrue(); // message 2 lost while the login backlog ran
    s.deliver(message(3));
    assertThat(s.finishSync(Set.of(message(1).mark()))).isEqualTo(Session.SyncEnd.HELD);
    assertThat(texts(c)).as("3 still held: 2 comes first").containsExactly("m1");
    assertThat(s.restartSync()).isTrue();
    s.writeBacklog(message(2));
    s.writeBacklog(message(3));
    s.finishSync(Set.of(message(2).mark(), message(3).mark()));
    assertThat(texts(c)).containsExactly("m1", "m2", "m3");
  }

  @Test
  void aLatePushOfAnItemTheLastBacklogSentIsDropped() {
    RecordingConnection c = new RecordingConnection();
    Recorder r = new Recorder();
    Session s =
        new Session(c, r, ignored -> CompletableFuture.completedFuture(null), new MessageCounts());
    s.startSync(7, "bob", "bob", Presence.ONLINE);
    s.finishSync(Set.of());
    assertThat(s.holdForResync()).isTrue();
    assertThat(s.restartSync()).isTrue();
    s.writeBacklog(message(1));
    s.finishSync(Set.of(message(1).mark()));
    // The push of message 1 that seemed lost arrives after all (a late write in Redis).
    assertThat(s.deliver(message(1))).isTrue();
    s.deliver(message(2));
    assertThat(texts(c)).containsExactly("m1", "m2");
    assertThat(r.marks).extracting(DeliveryMark::id).containsExactly(1L, 2L);
  }

  @Test
  void onlyTheLatestBacklogMarksAreRemembered() {
    RecordingConnection c = new RecordingConnection();
    Session s =
        new Session(
            c,
            new Recorder(),
            ignored -> CompletableFuture.completedFuture(null),
            new MessageCounts());
    s.startSync(7, "bob", "bob", Presence.ONLINE);
    for (int i = 0; i <= Session.REMEMBERED_BACKLOG; i++) {
      s.writeBacklog(message(i));
    }
    s.finishSync(Set.of());
    int before = c.written().size();
    s.deliver(message(0)); // forgotten: the oldest of more than the bound
    s.deliver(message(Session.REMEMBERED_BACKLOG)); // remembered
    assertThat(c.written()).hasSize(before + 1);
  }

  /** A session with acknowledged delivery whose backlog read everything up to {@code covered}. */
  private static Session ackingSession(RecordingConnection c, Recorder r, long covered) {
    Session s =
        new Session(c, r, ignored -> CompletableFuture.completedFuture(null), new MessageCounts());
    s.setFeatures(Set.of(Feature.ACKS));
    s.startSync(7, "bob", "bob", Presence.ONLINE);
    s.backlogCovers(covered);
    s.finishSync(Set.of());
    return s;
  }

  @Test
  void anAcknowledgementDoesNotCountAnEarlierItemStillOnItsWay() {
    RecordingConnection c = new RecordingConnection();
    Recorder r = new Recorder();
    Session s = ackingSession(c, r, 3);
    // Items 4 and 5 come from different threads (or nodes): 5 is written first.
    s.deliver(message(5));
    assertThat(s.acknowledge(5)).as("4 is not written yet").isEqualTo(3);
    s.deliver(message(4));
    // The client acknowledges the last item it got: 4, written after 5, so it has both.
    assertThat(s.acknowledge(4)).isEqualTo(5);
    assertThat(r.acks).containsExactly(3L, 5L);
    assertThat(c.written()).extracting(m -> ((StoredPush) m).seq()).containsExactly(5L, 4L);
  }

  @Test
  void anAcknowledgementCountsOnlyWhatWasWrittenBeforeTheAcknowledgedItem() {
    RecordingConnection c = new RecordingConnection();
    Recorder r = new Recorder();
    Session s = ackingSession(c, r, 3);
    s.deliver(message(5));
    s.deliver(message(4));
    // C_ACK(5) was sent before 4 arrived: 4 is written now but may still be on its way.
    assertThat(s.acknowledge(5)).isEqualTo(3);
    assertThat(s.acknowledge(4)).isEqualTo(5);
    assertThat(s.coverAt(4)).as("forgotten once acknowledged").isZero();
  }

  @Test
  void theBacklogCoversWhatNeedsNoWritingAndAcknowledgementsDuringItCount() {
    RecordingConnection c = new RecordingConnection();
    Recorder r = new Recorder();
    Session s =
        new Session(c, r, ignored -> CompletableFuture.completedFuture(null), new MessageCounts());
    s.setFeatures(Set.of(Feature.ACKS));
    s.startSync(7, "bob", "bob", Presence.ONLINE);
    // 1 and 2 were delivered before; the backlog sends 3 and 6 (4 and 5 were delivered too).
    s.writeBacklog(message(3));
    assertThat(s.acknowledge(3)).isEqualTo(3);
    s.deliver(message(8)); // live, held
    s.writeBacklog(message(6));
    s.backlogCovers(7); // the pass began when 7 was the last item stored
    s.finishSync(Set.of(message(3).mark(), message(6).mark()));
    assertThat(s.acknowledge(8)).as("7 was read by the backlog, 8 written live").isEqualTo(8);
    s.deliver(message(10));
    assertThat(s.acknowledge(10)).as("9 is on its way").isZero();
  }

  @Test
  void aReceiptForAConnectionWithoutReceiptsIsNotAGap() {
    RecordingConnection c = new RecordingConnection();
    Recorder r = new Recorder();
    Session s = ackingSession(c, r, 3);
    s.deliver(Pushes.receipt(4, "alice", false, 9));
    s.deliver(message(5));
    assertThat(s.acknowledge(5)).isEqualTo(5);
    assertThat(c.written()).hasSize(1);
  }
}
