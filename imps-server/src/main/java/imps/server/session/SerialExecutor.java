package imps.server.session;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

/**
 * Runs tasks one at a time, in submission order, on a shared pool: the per-connection queue that
 * makes "requests are processed strictly in order" hold while many connections share a few threads.
 */
public final class SerialExecutor implements Executor {
  private final Executor pool;
  private final Queue<Runnable> tasks = new ArrayDeque<>();
  private boolean running;

  public SerialExecutor(Executor pool) {
    this.pool = pool;
  }

  @Override
  public void execute(Runnable task) {
    synchronized (tasks) {
      tasks.add(task);
      if (running) {
        return;
      }
      running = true;
    }
    try {
      pool.execute(this::drain);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // The pool is shutting down: nothing more will run for this connection.
      synchronized (tasks) {
        tasks.clear();
        running = false;
      }
    }
  }

  /** Tasks queued and not yet finished (including the one running). */
  public int pending() {
    synchronized (tasks) {
      return tasks.size() + (running ? 1 : 0);
    }
  }

  private void drain() {
    while (true) {
      Runnable next;
      synchronized (tasks) {
        next = tasks.poll();
        if (next == null) {
          running = false;
          return;
        }
      }
      try {
        next.run();
      } catch (RuntimeException | Error e) {
        // The task is responsible for its own errors; never let one stop the queue (an Error
        // escaping here would leave the connection's queue marked running, and stuck, forever).
        org.slf4j.LoggerFactory.getLogger(SerialExecutor.class).error("task failed", e);
      }
    }
  }
}
