package imps.server.transport;

import java.time.Duration;

/**
 * Counts the connections whose session has not finished signing out, so that a drain can wait until
 * every sign-out ran (friends told, the session released) before the workers and the store stop. A
 * connection counts from when its handler is added until its sign-out completed.
 */
final class OpenSessions {
  private int open;

  synchronized void opened() {
    open++;
  }

  synchronized void ended() {
    if (--open == 0) {
      notifyAll();
    }
  }

  synchronized int count() {
    return open;
  }

  /** Waits until none is open, at most {@code limit}; whether none is. */
  synchronized boolean awaitNone(Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (open > 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }
}
