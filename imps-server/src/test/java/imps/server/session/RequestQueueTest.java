package imps.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.message.HeartbeatResponse;
import imps.protocol.message.ImpsMessage;
import imps.protocol.message.RegisterResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One request at a time, in order, replies written in order, bytes counted. */
class RequestQueueTest {
  private final ExecutorService loop = Executors.newSingleThreadExecutor();

  @AfterEach
  void stop() {
    loop.shutdownNow();
  }

  private static final class Replies implements Connection {
    final List<ImpsMessage> sent = new ArrayList<>();

    @Override
    public void write(ImpsMessage message, Runnable onWritten) {
      synchronized (sent) {
        sent.add(message);
      }
    }

    @Override
    public void flush() {}

    @Override
    public boolean isWritable() {
      return true;
    }

    @Override
    public void whenWritable(Duration timeout, Runnable onWritable, Runnable onStalled) {
      onWritable.run();
    }

    @Override
    public java.util.concurrent.Executor executor() {
      return Runnable::run;
    }

    @Override
    public CompletableFuture<Void> close() {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public String remoteAddress() {
      return "test";
    }
  }

  private void onLoop(Runnable r) throws Exception {
    loop.submit(r).get(5, TimeUnit.SECONDS);
  }

  @Test
  void aTaskStartsOnlyWhenTheOneBeforeCompletedAndRepliesKeepTheirOrder() throws Exception {
    Replies c = new Replies();
    RequestQueue q = new RequestQueue(loop, c);
    CompletableFuture<ImpsMessage> slow = new CompletableFuture<>();
    List<String> started = new ArrayList<>();
    onLoop(
        () -> {
          q.submit(
              100,
              () -> {
                started.add("slow");
                return slow;
              });
          q.submit(
              50,
              () -> {
                started.add("fast");
                return CompletableFuture.completedFuture(HeartbeatResponse.INSTANCE);
              });
        });
    onLoop(() -> assertThat(started).containsExactly("slow"));
    onLoop(() -> assertThat(q.queuedBytes()).isEqualTo(150));
    // The slow one completes on another thread: its reply goes first, then the next starts.
    new Thread(() -> slow.complete(new RegisterResponse(true))).start();
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              synchronized (c.sent) {
                assertThat(c.sent)
                    .containsExactly(new RegisterResponse(true), HeartbeatResponse.INSTANCE);
              }
            });
    onLoop(() -> assertThat(started).containsExactly("slow", "fast"));
    onLoop(() -> assertThat(q.queuedBytes()).isZero());
  }

  @Test
  void aFailedOrThrowingTaskDoesNotStopTheQueue() throws Exception {
    Replies c = new Replies();
    RequestQueue q = new RequestQueue(loop, c);
    onLoop(
        () -> {
          q.submit(
              10,
              () -> {
                throw new IllegalStateException("bug");
              });
          q.submit(10, () -> CompletableFuture.failedFuture(new IllegalStateException("bug")));
          q.submit(10, () -> CompletableFuture.completedFuture(HeartbeatResponse.INSTANCE));
        });
    onLoop(() -> assertThat(c.sent).containsExactly(HeartbeatResponse.INSTANCE));
    onLoop(() -> assertThat(q.queuedBytes()).isZero());
  }

  @Test
  void closingDropsWaitingRequestsButKeepsTheSignOut() throws Exception {
    Replies c = new Replies();
    RequestQueue q = new RequestQueue(loop, c);
    CompletableFuture<ImpsMessage> running = new CompletableFuture<>();
    List<String> ran = new ArrayList<>();
    onLoop(
        () -> {
          q.submit(10, () -> running);
          q.submit(
              10,
              () -> {
                ran.add("request");
                return CompletableFuture.completedFuture(null);
              });
          q.close();
          q.submit(
              0,
              () -> {
                ran.add("sign-out");
                return CompletableFuture.completedFuture(null);
              });
        });
    running.complete(null);
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> onLoop(() -> assertThat(ran).containsExactly("sign-out")));
  }

  /**
   * Issue 12: {@code onDrained} is where the transport resumes a paused frame decoder
   * (ConnectionHandler.resumeIfDrained), and the decoder hands the requests it had buffered to
   * {@link RequestQueue#submit} right there, before {@code onDrained} returns. Such a request must
   * wait its turn like any other: it used to start at once, and then the request after it started
   * too, so two requests of one connection ran at the same time (two clips stored in the wrong
   * order when one of them waited for a friendship check on the blocking pool).
   */
  @Test
  void aRequestHandedOverWhileTheDrainIsReportedWaitsItsTurn() throws Exception {
    Replies c = new Replies();
    RequestQueue q = new RequestQueue(loop, c);
    List<String> started = new ArrayList<>();
    Map<String, CompletableFuture<ImpsMessage>> running = new HashMap<>();
    boolean[] resumed = {false};
    onLoop(
        () -> {
          q.onDrained(
              () -> {
                if (!resumed[0]) {
                  // The decoder resumes and hands over a request it had buffered.
                  resumed[0] = true;
                  q.submit(10, task(started, running, "third"));
                }
              });
          q.submit(10, task(started, running, "first"));
          q.submit(10, task(started, running, "second"));
        });
    onLoop(() -> assertThat(started).containsExactly("first"));

    onLoop(() -> running.get("first").complete(null));
    onLoop(() -> assertThat(started).as("while second runs").containsExactly("first", "second"));

    onLoop(() -> running.get("second").complete(null));
    onLoop(() -> assertThat(started).containsExactly("first", "second", "third"));
    onLoop(() -> running.get("third").complete(null));
    onLoop(() -> assertThat(q.queuedBytes()).isZero());
  }

  /** A task that records its start and completes when the test completes its future. */
  private static Supplier<CompletionStage<ImpsMessage>> task(
      List<String> started, Map<String, CompletableFuture<ImpsMessage>> running, String name) {
    return () -> {
      started.add(name);
      CompletableFuture<ImpsMessage> f = new CompletableFuture<>();
      running.put(name, f);
      return f;
    };
  }

  @Test
  void drainingIsReportedAfterEachRequest() throws Exception {
    Replies c = new Replies();
    RequestQueue q = new RequestQueue(loop, c);
    List<Long> seen = new ArrayList<>();
    onLoop(
        () -> {
          q.onDrained(() -> seen.add(q.queuedBytes()));
          q.submit(30, () -> CompletableFuture.completedFuture(null));
          q.submit(20, () -> CompletableFuture.completedFuture(null));
        });
    onLoop(() -> assertThat(seen).containsExactly(0L, 0L));
  }
}
