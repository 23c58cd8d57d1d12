package imps.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.CommandType;
import imps.protocol.ErrorCode;
import imps.protocol.message.AudioPush;
import imps.protocol.message.AudioRequest;
import imps.protocol.message.ClipBytes;
import imps.protocol.message.ErrorResponse;
import imps.server.ImpsServerExtension;
import imps.server.LoggedInFriends;
import imps.server.config.ServerConfig.Key;
import imps.server.store.DelegatingStore;
import imps.server.store.MessageStore;
import imps.server.store.NewMessage;
import imps.server.store.Store;
import imps.testsupport.FrameClient;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 12 ("legacy clients lose less": a clip out of place in BacklogMemoryIT under load): clips a
 * client pipelines past {@code max-pending-bytes} are stored one at a time, in the order they were
 * sent, and come to the recipient in that order. They were not: when a finished request brought the
 * queue down to half its budget, the transport resumed the frame decoder from inside the queue's
 * report of it, the decoder handed the requests it had buffered to the queue right there, and the
 * queue started one of them at once and the next one after it, so two requests of one connection
 * ran at the same time. Whichever of the two was stored first took the lower sequence number. In
 * the server that is a matter of timing (a request that waits for a name look-up or a friendship
 * check on the blocking pool, say, against one that finds both cached); here every even-numbered
 * clip waits 20 ms before it is stored, so that the overlap shows every time.
 */
class PipelinedClipsOrderIT {
  private static final int CLIPS = 60;
  private static final int CLIP = 1000;
  // Small clips and a small budget: reading pauses after a few clips, while what the server read
  // already holds many whole frames, which the decoder hands over when it resumes.
  private static final int BUDGET = 4096;

  /** Appends of clips under way at once, now and at most. */
  private static final AtomicInteger appending = new AtomicInteger();

  private static final AtomicInteger mostAtOnce = new AtomicInteger();

  @RegisterExtension
  static final ImpsServerExtension server =
      ImpsServerExtension.withSettings(b -> b.set(Key.MAX_PENDING_BYTES, String.valueOf(BUDGET)))
          .withStore(SlowEvenClips::new);

  /** The real store, whose even-numbered clips wait a moment before they are stored. */
  private static final class SlowEvenClips extends DelegatingStore {
    private final MessageStore messages;

    SlowEvenClips(Store real) {
      super(real);
      MessageStore m = real.messages();
      this.messages =
          (MessageStore)
              Proxy.newProxyInstance(
                  MessageStore.class.getClassLoader(),
                  new Class<?>[] {MessageStore.class},
                  (proxy, method, args) -> {
                    if (method.getName().equals("appendAsync")
                        && args.length == 2
                        && ((NewMessage) args[0]).audio() != null) {
                      return append(m, (NewMessage) args[0], (MessageStore.Quota) args[1]);
                    }
                    try {
                      return method.invoke(m, args);
                    } catch (InvocationTargetException e) {
                      throw e.getCause();
                    }
                  });
    }

    private static CompletableFuture<?> append(
        MessageStore m, NewMessage message, MessageStore.Quota quota) {
      int now = appending.incrementAndGet();
      mostAtOnce.accumulateAndGet(now, Math::max);
      int index = ByteBuffer.wrap(message.audio()).getInt(0);
      CompletableFuture<Void> wait =
          index % 2 == 0
              ? CompletableFuture.runAsync(
                  () -> {}, CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS))
              : CompletableFuture.completedFuture(null);
      return wait.thenCompose(x -> m.appendAsync(message, quota))
          .whenComplete((a, e) -> appending.decrementAndGet());
    }

    @Override
    public MessageStore messages() {
      return messages;
    }
  }

  @Test
  void clipsPipelinedPastTheBudgetAreStoredOneAtATimeAndArriveInOrder() throws Exception {
    LoggedInFriends f = server.friends("poa", "pob");
    f.cb().close(); // the clips wait for its next login
    mostAtOnce.set(0);

    // All frames in one write: the server reads many at once, more than the budget lets it queue.
    ByteArrayOutputStream frames = new ByteArrayOutputStream();
    byte[] clip = new byte[CLIP];
    for (int i = 0; i < CLIPS; i++) {
      ByteBuffer.wrap(clip).putInt(0, i);
      frames.write(FrameClient.encode(new AudioRequest(f.b(), ClipBytes.copyOf(clip), "")));
    }
    FrameClient a = f.ca();
    a.sendRaw(frames.toByteArray());
    for (int i = 0; i < CLIPS; i++) {
      // Skipping b's sign-out, which a may be told of meanwhile.
      a.awaitMatching(
          ErrorResponse.class,
          r -> r.equals(ErrorResponse.of(ErrorCode.SUCCESS, CommandType.C_AUDIO_REQ)));
    }

    List<Integer> received = new ArrayList<>();
    try (FrameClient b = server.login(f.b())) {
      for (int i = 0; i < CLIPS; i++) {
        received.add(b.expect(AudioPush.class).data().asReadOnlyBuffer().getInt(0));
      }
    }
    List<Integer> sent = new ArrayList<>();
    for (int i = 0; i < CLIPS; i++) {
      sent.add(i);
    }
    assertThat(received).as("clips in the order they were sent").isEqualTo(sent);
    assertThat(mostAtOnce.get()).as("clips of one connection stored at once").isEqualTo(1);
  }
}
