package imps.server.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import imps.protocol.Presence;
import imps.protocol.message.FriendRequestPush;
import imps.server.cluster.RoutedSession;
import imps.server.delivery.DeliveryMark;
import imps.server.delivery.Push;
import imps.testsupport.RedisTestServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Review finding M7: a node's stream stays bounded while its reader is stalled, and the reader
 * learns that envelopes were trimmed before it read them, before it hands on the ones after the
 * gap; the router then has every local session resend what is stored.
 */
class StreamTrimIT {
  @RegisterExtension static final RedisTestServer redis = RedisTestServer.perClass();

  private static final int SENT = 1000;

  /** Records what the reader hands on; the first push stalls it until released. */
  private static final class StalledHandlers extends PushHandlers {
    final List<String> seen = new CopyOnWriteArrayList<>();
    final CountDownLatch stalled = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public void push(Envelope.PushTo p) {
      seen.add("push " + p.push().mark().id());
      if (stalled.getCount() > 0) {
        stalled.countDown();
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    @Override
    public void trimmed() {
      seen.add("trimmed");
    }
  }

  private static Envelope push(long id) {
    return new Envelope.PushTo(
        7,
        new Push(new FriendRequestPush("a"), new DeliveryMark(DeliveryMark.Kind.OUTCOME, id), id));
  }

  @Test
  void aStalledReadersStreamStaysBoundedAndTheReaderIsToldOfTheGap() throws Exception {
    long maxEntries = 10;
    try (RedisConnections c = RedisConnections.open(redis.uri());
        StreamBus bus = new StreamBus("trim.1", c.commands(), c.reader(), new RedisHealth(), 10)) {
      StalledHandlers h = new StalledHandlers();
      bus.start(h);
      bus.sendNow("trim.1", push(0));
      assertThat(h.stalled.await(10, TimeUnit.SECONDS)).isTrue();
      for (int i = 1; i <= SENT; i++) {
        bus.sendNow("trim.1", push(i));
      }
      // Without the budget the stream would hold all 1,000; trimming keeps at least maxEntries and
      // less than one listpack node (at most 100 entries) more.
      long length = Long.parseLong(redis.command("XLEN", RedisDirectory.streamKey("trim.1")));
      assertThat(length).isBetween(maxEntries, maxEntries + 100);

      h.release.countDown();
      await().atMost(Duration.ofSeconds(10)).until(() -> h.seen.contains("push " + SENT));
      // The gap is reported before anything read after it; what follows comes in order, ending
      // with the last push sent.
      assertThat(h.seen.get(0)).isEqualTo("push 0");
      assertThat(h.seen.get(1)).isEqualTo("trimmed");
      List<String> after = h.seen.subList(2, h.seen.size());
      assertThat(after).hasSize((int) length).doesNotContain("trimmed");
      assertThat(after.get(after.size() - 1)).isEqualTo("push " + SENT);
    }
  }

  /** A session whose first push stalls the router's reader until released. */
  private static final class StallingSession implements RoutedSession {
    final CountDownLatch stalled = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger holds = new AtomicInteger();
    final AtomicInteger resends = new AtomicInteger();

    @Override
    public long userId() {
      return 7;
    }

    @Override
    public String userName() {
      return "u7";
    }

    @Override
    public boolean isVisible() {
      return true;
    }

    @Override
    public boolean deliver(Push push) {
      if (stalled.getCount() > 0) {
        stalled.countDown();
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return true;
    }

    @Override
    public void closeByOperator() {}

    @Override
    public Presence replaceByNewerLogin() {
      return Presence.ONLINE;
    }

    @Override
    public void awaitClosed() {}

    @Override
    public boolean holdForResync() {
      holds.incrementAndGet();
      return true;
    }

    @Override
    public void resendStored() {
      resends.incrementAndGet();
    }
  }

  /**
   * The smallest budget (1 MiB, 15 entries) and a session whose first push stalls the node's
   * reader: once it reads again, the session is held and resends what is stored (where the trimmed
   * pushes are), before the pushes read after the gap.
   */
  @Test
  void aNodeWhoseReaderFellBehindHasItsSessionsResendWhatIsStored() throws Exception {
    RedisSessionRouter router =
        RedisSessionRouter.connect(
            redis.uri(), "trim", Duration.ofSeconds(30), 1024 * 1024, null, null);
    try (RedisConnections c = RedisConnections.open(redis.uri());
        StreamBus sender =
            new StreamBus("trim.sender", c.commands(), c.reader(), new RedisHealth(), 15)) {
      StallingSession s = new StallingSession();
      router.claim(s);
      sender.sendNow(router.instance(), push(0));
      assertThat(s.stalled.await(10, TimeUnit.SECONDS)).isTrue();
      for (int i = 1; i <= 300; i++) {
        sender.sendNow(router.instance(), push(i));
      }
      assertThat(s.resends).hasValue(0);
      s.release.countDown();
      await().atMost(Duration.ofSeconds(10)).until(() -> s.resends.get() == 1);
      assertThat(s.holds).hasValue(1);
    } finally {
      router.close();
    }
  }

  @Test
  void aReaderThatKeepsUpIsNeverToldOfAGap() throws Exception {
    try (RedisConnections c = RedisConnections.open(redis.uri());
        StreamBus bus = new StreamBus("trim.2", c.commands(), c.reader(), new RedisHealth(), 10)) {
      StalledHandlers h = new StalledHandlers();
      h.stalled.countDown();
      bus.start(h);
      for (int i = 1; i <= 300; i++) {
        bus.sendNow("trim.2", push(i));
        if (i % 5 == 0) {
          int expected = i;
          await().atMost(Duration.ofSeconds(10)).until(() -> h.seen.size() == expected);
        }
      }
      assertThat(h.seen).doesNotContain("trimmed").hasSize(300);
    }
  }
}
