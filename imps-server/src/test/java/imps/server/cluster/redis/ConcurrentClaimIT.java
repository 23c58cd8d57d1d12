package imps.server.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import imps.protocol.Presence;
import imps.server.cluster.RoutedSession;
import imps.server.delivery.DeliveryMark;
import imps.server.delivery.DeliveryRecorder;
import imps.server.delivery.Push;
import imps.testsupport.RedisTestServer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two logins of one user on one node at the same moment: the directory must end up naming the
 * session that stays logged in, whichever login reaches Redis first. Otherwise a later login on
 * another node kicks the (already ended) older session and the live one stays logged in beside it,
 * and the live one's sign-out leaves the user shown online.
 */
class ConcurrentClaimIT {
  @RegisterExtension static final RedisTestServer redis = RedisTestServer.perClass();

  private static final long UID = 5;

  /** Flushes nothing: the sessions here deliver no stored items. */
  private static final DeliveryRecorder NO_RECORDS =
      new DeliveryRecorder() {
        @Override
        public void record(DeliveryMark mark) {}

        @Override
        public void recordAck(long userId, long seq) {}

        @Override
        public void awaitFlushed() {}

        @Override
        public CompletableFuture<Void> flushed() {
          return CompletableFuture.completedFuture(null);
        }
      };

  /** Each test starts from an empty Redis (this class's own server). */
  @BeforeEach
  void empty() {
    redis.command("FLUSHALL");
  }

  /** A session that counts its replacements and can pause the thread that registers it. */
  private static final class Session implements RoutedSession {
    final AtomicInteger replaced = new AtomicInteger();
    final AtomicBoolean ended = new AtomicBoolean();
    final CountDownLatch registering = new CountDownLatch(1);
    final CountDownLatch proceed = new CountDownLatch(1);
    volatile boolean pauseOnce;

    Session(boolean pauseOnce) {
      this.pauseOnce = pauseOnce;
    }

    @Override
    public long userId() {
      return UID;
    }

    @Override
    public String userName() {
      return "u";
    }

    /** Read when the router writes the session's directory entry. */
    @Override
    public boolean isVisible() {
      if (pauseOnce) {
        pauseOnce = false;
        registering.countDown();
        try {
          proceed.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return true;
    }

    @Override
    public boolean deliver(Push push) {
      return !ended.get();
    }

    @Override
    public Presence replaceByNewerLogin() {
      replaced.incrementAndGet();
      return ended.compareAndSet(false, true) ? Presence.ONLINE : Presence.OFFLINE;
    }

    @Override
    public void closeByOperator() {}

    @Override
    public void awaitClosed() {}

    @Override
    public boolean holdForResync() {
      return false;
    }

    @Override
    public void resendStored() {}
  }

  /**
   * Claims {@code first} and {@code second} on {@code node} at once: the first login pauses between
   * taking the node's local slot and writing its directory entry, until the second login has either
   * gone through (it replaced the first, which then writes its entry last) or waits for the first
   * (the node lets one login of a user at a time register). Returns once both are done; the second
   * is the user's session then.
   */
  private static void loginBothAtOnce(RedisSessionRouter node, Session first, Session second)
      throws Exception {
    CompletableFuture<Presence> firstClaim = CompletableFuture.supplyAsync(() -> node.claim(first));
    assertThat(first.registering.await(10, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Presence> secondClaim = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                secondClaim.complete(node.claim(second));
              } catch (RuntimeException e) {
                secondClaim.completeExceptionally(e);
              }
            });
    t.start();
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(5))
        .until(() -> secondClaim.isDone() || t.getState() == Thread.State.BLOCKED);
    first.proceed.countDown();
    firstClaim.get(10, TimeUnit.SECONDS);
    secondClaim.get(10, TimeUnit.SECONDS);
    assertThat(first.replaced).hasValue(1);
    assertThat(second.replaced).hasValue(0);
  }

  /**
   * Login 1 on node A is preempted between taking the node's local slot and writing its directory
   * entry; login 2 of the same user on A replaces it and registers meanwhile. Then a login on node
   * B must end login 2, the one still logged in on A.
   */
  @Test
  void aLoginElsewhereEndsTheSurvivorOfTwoSimultaneousLoginsOnOneNode() throws Exception {
    RedisSessionRouter a =
        RedisSessionRouter.connect(
            redis.uri(), "claim-a", Duration.ofSeconds(30), 1024 * 1024, null, NO_RECORDS);
    RedisSessionRouter b =
        RedisSessionRouter.connect(
            redis.uri(), "claim-b", Duration.ofSeconds(30), 1024 * 1024, null, NO_RECORDS);
    try {
      Session first = new Session(true);
      Session second = new Session(false);
      loginBothAtOnce(a, first, second);

      Session onB = new Session(false);
      b.claim(onB);

      await().atMost(Duration.ofSeconds(5)).until(() -> second.replaced.get() == 1);
      assertThat(first.replaced).hasValue(1);
      assertThat(onB.replaced).hasValue(0);
      assertThat(a.visibleStatus(UID)).isEqualTo(Presence.ONLINE); // through B's entry
      assertThat(a.hasSession(UID)).isTrue();
    } finally {
      a.close();
      b.close();
    }
  }

  /** The same race, then the surviving login signs out: nobody sees the user online any more. */
  @Test
  void theSurvivorOfTwoSimultaneousLoginsSignsOutForGood() throws Exception {
    RedisSessionRouter a =
        RedisSessionRouter.connect(
            redis.uri(), "claim-c", Duration.ofSeconds(30), 1024 * 1024, null, NO_RECORDS);
    RedisSessionRouter b =
        RedisSessionRouter.connect(
            redis.uri(), "claim-d", Duration.ofSeconds(30), 1024 * 1024, null, NO_RECORDS);
    try {
      Session first = new Session(true);
      Session second = new Session(false);
      loginBothAtOnce(a, first, second);

      assertThat(a.release(first)).isFalse();
      assertThat(a.release(second)).isTrue();

      assertThat(b.visibleStatus(UID)).isEqualTo(Presence.OFFLINE);
      assertThat(b.hasSession(UID)).isFalse();
    } finally {
      a.close();
      b.close();
    }
  }
}
