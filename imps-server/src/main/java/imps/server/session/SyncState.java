package imps.server.session;

import imps.server.delivery.DeliveryMark;
import imps.server.delivery.Push;
import imps.server.session.Session.SyncEnd;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The delivery state machine of one {@link Session}: anonymous, syncing (a backlog is being sent,
 * live pushes are held back in {@link HeldPushes}), live, ended; plus a pending resync and the
 * marks of the last backlog (to drop late duplicate pushes). See {@link Session} for the contract.
 * Every transition and every write of a live or held push happens under one lock, so that writes
 * keep the order in which the state let them through. Thread-safe.
 */
final class SyncState {
  private enum State {
    ANONYMOUS,
    SYNCING,
    LIVE,
    ENDED
  }

  private final Deliveries deliveries;
  private final Object lock = new Object();
  private State state = State.ANONYMOUS;
  private HeldPushes held;
  private boolean resyncPending;
  // Created only when a backlog sends a recorded item: most sessions never need one, and an empty
  // set on each of 100,000 idle connections is memory for nothing.
  private Set<DeliveryMark> backlogSent;
  private Set<DeliveryMark> lastBacklog = Set.of();

  SyncState(Deliveries deliveries) {
    this.deliveries = deliveries;
  }

  /** Whether the session is logged in and neither replaced nor signed out. */
  boolean isActive() {
    synchronized (lock) {
      return state == State.SYNCING || state == State.LIVE;
    }
  }

  /** Runs {@code login} (setting the user) and starts syncing, atomically. */
  void start(Runnable login) {
    synchronized (lock) {
      login.run();
      state = State.SYNCING;
      held = new HeldPushes(Session.MAX_HELD_BYTES);
      backlogSent = null;
    }
  }

  /** See {@link Session#holdForResync}. */
  boolean holdForResync() {
    synchronized (lock) {
      if (resyncPending || (state != State.LIVE && state != State.SYNCING)) {
        return false;
      }
      if (state == State.LIVE) {
        held = new HeldPushes(Session.MAX_HELD_BYTES);
        state = State.SYNCING;
      }
      resyncPending = true;
      return true;
    }
  }

  /** See {@link Session#restartSync}. */
  boolean restartSync() {
    synchronized (lock) {
      if (state == State.SYNCING && resyncPending) {
        resyncPending = false;
      } else if (state == State.LIVE) {
        held = new HeldPushes(Session.MAX_HELD_BYTES);
        state = State.SYNCING;
      } else {
        return false;
      }
      backlogSent = null;
      return true;
    }
  }

  /**
   * See {@link Session#finishSync}; writes the held pushes (not flushed) when it goes live.
   *
   * @param acks whether the connection acknowledges deliveries
   */
  SyncEnd finishSync(Set<DeliveryMark> sent, boolean acks) {
    synchronized (lock) {
      if (state != State.SYNCING) {
        return SyncEnd.ENDED;
      }
      lastBacklog = backlogSent == null ? Set.of() : backlogSent;
      backlogSent = null;
      held.removeSent(sent);
      if (resyncPending) {
        return SyncEnd.HELD;
      }
      if (held.droppedStored()) {
        held.clearDropped();
        return SyncEnd.AGAIN;
      }
      for (Push p : held.pushes()) {
        deliveries.write(p, acks, false);
      }
      held = null;
      state = State.LIVE;
    }
    return SyncEnd.LIVE;
  }

  /**
   * Holds {@code push} while syncing, writes it when live (unless the last backlog carried it).
   *
   * @return false when the session no longer takes pushes
   */
  boolean offer(Push push, boolean acks) {
    synchronized (lock) {
      switch (state) {
        case SYNCING -> {
          held.add(push);
          return true;
        }
        case LIVE -> {
          DeliveryMark mark = push.mark();
          if (mark != null && lastBacklog.contains(mark)) {
            return true; // a late push of an item the last backlog sent
          }
          deliveries.write(push, acks, true);
          return true;
        }
        default -> {
          return false;
        }
      }
    }
  }

  /** Remembers that the running backlog sends the item of {@code mark} (if any). */
  void backlogSends(DeliveryMark mark) {
    synchronized (lock) {
      if (mark != null) {
        if (backlogSent == null) {
          backlogSent = newMarkSet();
        }
        backlogSent.add(mark);
      }
    }
  }

  /** Stops taking pushes; returns whether the session was active until now. */
  boolean end() {
    synchronized (lock) {
      boolean wasActive = state == State.SYNCING || state == State.LIVE;
      state = State.ENDED;
      held = null;
      resyncPending = false;
      backlogSent = null;
      lastBacklog = Set.of();
      return wasActive;
    }
  }

  /** Insertion-ordered and bounded: when full, the oldest mark goes. */
  private static Set<DeliveryMark> newMarkSet() {
    return new LinkedHashSet<>() {
      @Override
      public boolean add(DeliveryMark m) {
        boolean added = super.add(m);
        if (size() > Session.REMEMBERED_BACKLOG) {
          remove(iterator().next());
        }
        return added;
      }
    };
  }
}
