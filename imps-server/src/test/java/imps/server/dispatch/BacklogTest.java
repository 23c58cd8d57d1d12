package imps.server.dispatch;

import static imps.server.ServiceFixture.START_TIME;
import static imps.server.ServiceFixture.connection;
import static imps.server.ServiceFixture.take;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import imps.protocol.Feature;
import imps.protocol.Presence;
import imps.protocol.message.AddFriendResponse;
import imps.protocol.message.AudioPush;
import imps.protocol.message.ClipBytes;
import imps.protocol.message.FriendInfo;
import imps.protocol.message.FriendRequestPush;
import imps.protocol.message.ImpsMessage;
import imps.protocol.message.MessagePush;
import imps.protocol.message.StoredPush;
import imps.server.ServiceFixture;
import imps.server.session.Session;
import imps.server.store.UserRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What is stored for a user reaches a syncing session in order, pending requests, then outcomes,
 * then messages, ahead of live pushes, each once.
 */
class BacklogTest {
  @TempDir Path dir;
  ServiceFixture services;
  Backlog backlog;
  UserRecord alice;
  UserRecord bob;

  @BeforeEach
  void open() {
    services = new ServiceFixture(dir);
    backlog = services.backlog();
    alice = services.user("alice");
    bob = services.user("bob");
    services.befriend(alice, bob);
  }

  @AfterEach
  void close() {
    services.close();
  }

  /** A session of bob's that is syncing, its current one, as a login leaves it. */
  private Session syncingBob() {
    Session s = services.session();
    s.startSync(bob.id(), bob.name(), bob.nameKey(), Presence.ONLINE);
    services.router().claim(s);
    return s;
  }

  private void text(String body) {
    ServiceFixture.join(
        services.messages().sendText(alice.id(), alice.name(), "bob", body, 0, false));
  }

  private static MessagePush fromAlice(String body) {
    return new MessagePush("alice", body, START_TIME);
  }

  @Test
  void requestsThenOutcomesThenMessagesAndClipsInTheOrderAccepted() {
    UserRecord carol = services.user("carol");
    UserRecord dave = services.user("dave");
    text("m1");
    services.friends().request(carol, "bob");
    services.friends().request(bob, "dave");
    services.friends().answer(dave, "bob", false);
    ServiceFixture.join(
        services
            .messages()
            .sendAudio(
                alice.id(), alice.name(), "bob", ClipBytes.copyOf(new byte[] {7}), 0, false));
    text("m2");

    Session s = syncingBob();
    assertThat(ServiceFixture.join(backlog.send(s, true))).isTrue();
    assertThat(take(s))
        .containsExactly(
            new FriendRequestPush("carol"),
            AddFriendResponse.refused("dave"),
            fromAlice("m1"),
            new AudioPush("alice", ClipBytes.copyOf(new byte[] {7}), START_TIME),
            fromAlice("m2"));
    assertThat(s.isActive()).isTrue();
  }

  @Test
  void aResyncLeavesPendingRequestsOut() {
    UserRecord carol = services.user("carol");
    services.friends().request(carol, "bob");
    text("m1");
    Session s = syncingBob();
    assertThat(ServiceFixture.join(backlog.send(s, false))).isTrue();
    assertThat(take(s)).containsExactly(fromAlice("m1"));
  }

  @Test
  void whatWasSentIsRecordedDeliveredAndNotSentAgain() {
    UserRecord dave = services.user("dave");
    services.friends().request(bob, "dave");
    services.friends().answer(dave, "bob", true);
    text("m1");
    Session first = syncingBob();
    ServiceFixture.join(backlog.send(first, true));
    assertThat(take(first))
        .containsExactly(
            AddFriendResponse.accepted(new FriendInfo("dave", Presence.OFFLINE, "", "")),
            fromAlice("m1"));

    Session second = syncingBob(); // replaces the first
    assertThat(ServiceFixture.join(backlog.send(second, true))).isTrue();
    assertThat(take(second)).isEmpty();
  }

  @Test
  void aLongBacklogComesWholeAndInOrderAcrossPages() {
    int n = 600; // more than one page of 500
    for (int i = 0; i < n; i++) {
      text("n" + i);
    }
    Session s = syncingBob();
    ServiceFixture.join(backlog.send(s, false));
    List<ImpsMessage> sent = take(s);
    List<ImpsMessage> expected = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      expected.add(fromAlice("n" + i));
    }
    assertThat(sent).containsExactlyElementsOf(expected);
  }

  @Test
  void aLivePushDuringTheBacklogFollowsItAndIsNotDuplicated() {
    text("stored");
    Session s = syncingBob();
    AtomicBoolean once = new AtomicBoolean();
    connection(s)
        .onWrite(
            m -> {
              if (once.compareAndSet(false, true)) {
                text("live"); // stored too, and pushed while bob is still syncing
              }
            });
    ServiceFixture.join(backlog.send(s, true));
    assertThat(take(s)).containsExactly(fromAlice("stored"), fromAlice("live"));
  }

  @Test
  void anItemStoredBeforeTheMessagesAreReadComesOnceFromTheStore() {
    UserRecord carol = services.user("carol");
    services.friends().request(carol, "bob");
    Session s = syncingBob();
    AtomicBoolean once = new AtomicBoolean();
    connection(s)
        .onWrite(
            m -> {
              if (once.compareAndSet(false, true)) {
                text("during requests"); // read by the backlog and pushed live: sent once
              }
            });
    ServiceFixture.join(backlog.send(s, true));
    assertThat(take(s))
        .containsExactly(new FriendRequestPush("carol"), fromAlice("during requests"));
  }

  @Test
  void aLoginWithNothingStoredGoesLiveOnTheWorkerWithoutTheEventLoop() {
    Session s = syncingBob();
    CompletableFuture<Boolean> live =
        ServiceFixture.join(services.workers().supply(() -> backlog.send(s, true)));
    assertThat(ServiceFixture.join(live)).isTrue();
    assertThat(connection(s).loopTasks()).isZero();
    assertThat(connection(s).flushes()).isPositive(); // what the login wrote goes out
    text("live");
    assertThat(take(s)).containsExactly(fromAlice("live"));
  }

  @Test
  void aLoginWithSomethingStoredWritesItOnTheEventLoop() {
    text("m1");
    Session s = syncingBob();
    CompletableFuture<Boolean> live =
        ServiceFixture.join(services.workers().supply(() -> backlog.send(s, true)));
    assertThat(ServiceFixture.join(live)).isTrue();
    assertThat(connection(s).loopTasks()).isPositive();
    assertThat(take(s)).containsExactly(fromAlice("m1"));
  }

  @Test
  void aSessionEndedMeanwhileIsReported() {
    text("m1");
    Session s = syncingBob();
    connection(s).onWrite(m -> s.end());
    assertThat(ServiceFixture.join(backlog.send(s, false))).isFalse();
    assertThat(s.isActive()).isFalse();
  }

  /**
   * With acknowledged delivery, a backlog longer than a page: an outcome stored while the first
   * page is written (held, as live pushes are) comes after the second page, which carries a message
   * stored after the outcome. The client acknowledges that message, the last item it has, and the
   * connection dies before the outcome reaches it: the acknowledgement must not count the outcome,
   * which was written after the message, so the next login brings it again (and the message with
   * it, which the client drops by its number).
   */
  @Test
  void anAcknowledgementOfALaterPageDoesNotCountAnItemHeldBehindIt() {
    UserRecord dave = services.user("dave");
    services.friends().request(bob, "dave");
    for (int i = 0; i < Backlog.PAGE_ITEMS; i++) {
      text("p" + i);
    }
    Session s = services.session();
    s.setFeatures(Set.of(Feature.ACKS));
    s.startSync(bob.id(), bob.name(), bob.nameKey(), Presence.ONLINE);
    services.router().claim(s);
    AtomicBoolean once = new AtomicBoolean();
    connection(s)
        .onWrite(
            m -> {
              if (once.compareAndSet(false, true)) {
                services.friends().answer(dave, "bob", true); // held: bob is syncing
                text("late"); // a higher number, read with the second page
              }
            });
    assertThat(ServiceFixture.join(backlog.send(s, true))).isTrue();
    List<StoredPush> sent = take(s).stream().map(StoredPush.class::cast).toList();
    assertThat(sent).hasSize(Backlog.PAGE_ITEMS + 2);
    StoredPush late = sent.get(Backlog.PAGE_ITEMS);
    StoredPush outcome = sent.get(Backlog.PAGE_ITEMS + 1);
    assertThat(late.item()).isEqualTo(fromAlice("late"));
    assertThat(outcome.item()).isInstanceOf(AddFriendResponse.class);
    assertThat(outcome.seq()).isLessThan(late.seq());

    // The client has "late" but not the outcome written after it, and says so; then it is gone.
    s.acknowledge(late.seq());
    services.awaitDeliveriesRecorded();
    s.end();

    Session again = services.session();
    again.setFeatures(Set.of(Feature.ACKS));
    again.startSync(bob.id(), bob.name(), bob.nameKey(), Presence.ONLINE);
    services.router().claim(again);
    assertThat(ServiceFixture.join(backlog.send(again, true))).isTrue();
    // "late" comes again too: a cumulative acknowledgement cannot count it without the outcome.
    assertThat(take(again)).containsExactly(outcome, late);
  }

  @Test
  void aClientThatStopsReadingFailsTheBacklog() {
    text("m1");
    Session s = syncingBob();
    connection(s).stall();
    assertThatThrownBy(() -> ServiceFixture.join(backlog.send(s, false)))
        .isInstanceOf(IllegalStateException.class);
    assertThat(take(s)).isEmpty();
  }
}
