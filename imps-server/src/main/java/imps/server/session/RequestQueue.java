package imps.server.session;

import imps.protocol.message.ImpsMessage;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's requests, run one at a time in arrival order (section 7.1 of the specification):
 * a task starts only when the one before it has completed. Confined to the connection's event loop
 * ({@code loop}): every method is called there, and a task that completes elsewhere (a commit on
 * the database writer, a read on the blocking pool) is continued there.
 *
 * <p>A task returns the stage of its work; when it completes with a frame, that frame is the reply,
 * written before the next task starts; {@code null} means the task wrote what it had to itself.
 * Tasks that complete at once run back to back without a hand-off.
 *
 * <p>The queue counts the wire bytes of the requests waiting or running, so that the transport can
 * stop reading past a budget ({@link #queuedBytes}); {@code onDrained} runs each time a task ends
 * and the count has fallen.
 *
 * <p>Re-entry: what runs while a task ends (writing its reply, {@code onDrained}) may submit a task
 * on the spot. The transport's {@code onDrained} resumes a paused frame decoder, which hands the
 * requests it had buffered to {@link #submit} before {@code onDrained} returns. Such a task waits
 * its turn like any other: the queue counts as running from the start of a task until it finds
 * nothing waiting, so a submit in between only queues (issue 12: it used to start the task at once,
 * and the task after it too, and two clips of one connection were stored in either order).
 */
public final class RequestQueue {
  private static final Logger log = LoggerFactory.getLogger(RequestQueue.class);

  private record Task(Supplier<CompletionStage<ImpsMessage>> work, int bytes) {}

  private final Executor loop;
  private final Connection connection;
  private final ArrayDeque<Task> waiting = new ArrayDeque<>();
  private Runnable onDrained = () -> {};
  // From the start of a task until runNext finds nothing waiting, the end of a task included.
  private boolean running;
  private long queuedBytes;
  private boolean closed;

  /**
   * @param loop the connection's event loop
   * @param connection where replies go
   */
  public RequestQueue(Executor loop, Connection connection) {
    this.loop = loop;
    this.connection = connection;
  }

  /** Sets what runs (on the loop) each time a finished task lowered {@link #queuedBytes}. */
  public void onDrained(Runnable onDrained) {
    this.onDrained = onDrained;
  }

  /**
   * Queues a task behind the others; on the event loop.
   *
   * @param bytes the wire size of the request it answers (0 for tasks that are not requests)
   */
  public void submit(int bytes, Supplier<CompletionStage<ImpsMessage>> work) {
    queuedBytes += bytes;
    waiting.add(new Task(work, bytes));
    if (!running) {
      runNext();
    }
  }

  /** Queues a task from any thread (hops to the event loop). */
  public void execute(Supplier<CompletionStage<ImpsMessage>> work) {
    loop.execute(() -> submit(0, work));
  }

  /** Wire bytes of the requests waiting or running. */
  public long queuedBytes() {
    return queuedBytes;
  }

  /** Number of tasks waiting (not counting the one running). */
  public int waiting() {
    return waiting.size();
  }

  /**
   * The connection closed: drops the requests still waiting (they act for no one), keeping tasks of
   * size 0 (the sign-out), which run in order as usual.
   */
  public void close() {
    closed = true;
    waiting.removeIf(t -> t.bytes() > 0);
  }

  private void runNext() {
    Task t;
    while ((t = waiting.poll()) != null) {
      running = true;
      CompletableFuture<ImpsMessage> f = start(t);
      if (!f.isDone()) {
        Task task = t;
        f.whenComplete((reply, failure) -> loop.execute(() -> finish(task, replyOf(f))));
        return;
      }
      finish0(t, replyOf(f));
    }
    running = false;
  }

  /** The reply of a completed task; a failed task (a bug: handlers map errors) writes none. */
  private static ImpsMessage replyOf(CompletableFuture<ImpsMessage> f) {
    try {
      return f.join();
    } catch (RuntimeException e) {
      log.error("a request task failed", e);
      return null;
    }
  }

  private static CompletableFuture<ImpsMessage> start(Task t) {
    try {
      return t.work().get().toCompletableFuture();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** On the loop: the running task ended; write its reply and start the next. */
  private void finish(Task t, ImpsMessage reply) {
    finish0(t, reply);
    runNext();
  }

  /**
   * Writes the reply and reports the drain, with {@link #running} still true: a task submitted from
   * in here (see the class comment) is queued, and the caller's runNext starts it in its turn.
   */
  private void finish0(Task t, ImpsMessage reply) {
    if (reply != null && !closed) {
      connection.send(reply);
    }
    if (t.bytes() > 0) {
      queuedBytes -= t.bytes();
      onDrained.run();
    }
  }
}
