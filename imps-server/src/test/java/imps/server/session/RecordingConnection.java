package imps.server.session;

import imps.protocol.message.ImpsMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A {@link Connection} without a socket, for unit tests: it keeps every frame written to it, in
 * order, and counts each as in the socket at once (its {@code onWritten} runs inside {@link
 * #write}). A test can make it stop draining ({@link #stall}) or act on each write ({@link
 * #onWrite}). Thread-safe.
 */
public final class RecordingConnection implements Connection {
  private final List<ImpsMessage> written = new ArrayList<>();
  private Consumer<ImpsMessage> onWrite = m -> {};
  private boolean open = true;
  private boolean writable = true;
  private final AtomicInteger loopTasks = new AtomicInteger();
  private final AtomicInteger flushes = new AtomicInteger();

  @Override
  public void write(ImpsMessage message, Runnable onWritten) {
    Consumer<ImpsMessage> hook;
    synchronized (this) {
      written.add(message);
      hook = onWrite;
    }
    if (onWritten != null) {
      onWritten.run();
    }
    hook.accept(message);
  }

  @Override
  public void flush() {
    flushes.incrementAndGet();
  }

  @Override
  public synchronized boolean isWritable() {
    return writable && open;
  }

  /**
   * Runs {@code onWritable} at once while it drains; once {@link #stall stalled} or closed it runs
   * {@code onStalled} at once instead (no real wait for the timeout).
   */
  @Override
  public void whenWritable(Duration timeout, Runnable onWritable, Runnable onStalled) {
    boolean ok;
    synchronized (this) {
      ok = writable && open;
    }
    (ok ? onWritable : onStalled).run();
  }

  /** Runs tasks at once, on the calling thread: the tests' "event loop"; counts them. */
  @Override
  public Executor executor() {
    return task -> {
      loopTasks.incrementAndGet();
      task.run();
    };
  }

  /** How many tasks were given to {@link #executor()} so far. */
  public int loopTasks() {
    return loopTasks.get();
  }

  /** How many times {@link #flush()} was called so far. */
  public int flushes() {
    return flushes.get();
  }

  @Override
  public synchronized CompletableFuture<Void> close() {
    open = false;
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized boolean isOpen() {
    return open;
  }

  @Override
  public String remoteAddress() {
    return "192.0.2.1";
  }

  /** Every frame written so far, oldest first. */
  public synchronized List<ImpsMessage> written() {
    return List.copyOf(written);
  }

  /** The frames written since the last call, oldest first; forgets them. */
  public synchronized List<ImpsMessage> take() {
    List<ImpsMessage> out = List.copyOf(written);
    written.clear();
    return out;
  }

  /** From now on the outbound buffer stays full: the peer stopped reading. */
  public synchronized void stall() {
    writable = false;
  }

  /** Runs {@code hook} after each later write, on the writing thread. */
  public synchronized void onWrite(Consumer<ImpsMessage> hook) {
    onWrite = hook;
  }
}
