package imps.server.dispatch;

import imps.server.concurrent.Offload;
import imps.server.delivery.DeliveryMark;
import imps.server.delivery.DeliveryRecorder;
import imps.server.delivery.Push;
import imps.server.delivery.Pushes;
import imps.server.friend.FriendService;
import imps.server.session.Connection;
import imps.server.session.Session;
import imps.server.session.Session.SyncEnd;
import imps.server.store.AccountStore;
import imps.server.store.FriendStore;
import imps.server.store.MessageStore;
import imps.server.store.Outcome;
import imps.server.store.PendingRequest;
import imps.server.store.StoredMessage;
import imps.server.store.StoredReceipt;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Sends what is stored for a user to a syncing session, then lets the session go live with the
 * pushes it held back meanwhile. To a legacy client: pending friend requests (at login only),
 * undelivered outcomes, then undelivered messages and clips in acceptance order (section 7.2). To a
 * client with acknowledged delivery: every item it has not acknowledged, in sequence order. Used at
 * login, and to resynchronise a live session after pushes to it may have been lost in transit (a
 * cluster fault), so that stored items still come before newer ones.
 *
 * <p>No thread waits for the client: pages are read on the blocking pool, bounded in items and in
 * bytes of bodies, and written on the connection's event loop as fast as the client reads (the next
 * item waits for the channel to become writable). A client that reads nothing for {@link #STALL} is
 * closed; what it did not get stays stored.
 */
public final class Backlog {
  static final int PAGE_ITEMS = 500;
  static final long PAGE_BYTES = 1024 * 1024;
  static final Duration STALL = Duration.ofSeconds(60);

  private final AccountStore accounts;
  private final FriendStore friendStore;
  private final MessageStore messageStore;
  private final FriendService friends;
  private final DeliveryRecorder recorder;
  private final Executor blocking;

  /**
   * @param blocking runs the store reads
   */
  public Backlog(
      AccountStore accounts,
      FriendStore friendStore,
      MessageStore messageStore,
      FriendService friends,
      DeliveryRecorder recorder,
      Executor blocking) {
    this.accounts = accounts;
    this.friendStore = friendStore;
    this.messageStore = messageStore;
    this.friends = friends;
    this.recorder = recorder;
    this.blocking = blocking;
  }

  /**
   * Writes the backlog to {@code s} (which must be syncing) and finishes the sync.
   *
   * @param withRequests whether to send pending friend requests too (at login)
   * @return completes with false when the session ended meanwhile; completes exceptionally when
   *     storage fails or the client stops reading, and the caller ends the session
   */
  public CompletableFuture<Boolean> send(Session s, boolean withRequests) {
    return new Run(s, withRequests).start();
  }

  /** Completes once every delivery mark recorded so far is committed (never exceptionally). */
  CompletableFuture<Void> marksCommitted() {
    return recorder.flushed().handle((x, e) -> null);
  }

  /** One backlog run: a chain of reads on the blocking pool and writes on the event loop. */
  private final class Run {
    private final Session s;
    private final Connection c;
    private final Executor loop;
    private final CompletableFuture<Boolean> done = new CompletableFuture<>();
    private final ArrayDeque<Push> pending = new ArrayDeque<>();
    // With acknowledged delivery: requests and outcomes, merged into the messages by seq.
    private final ArrayDeque<Push> small = new ArrayDeque<>();
    private final boolean acks;
    private Set<DeliveryMark> sent = new HashSet<>();
    private Set<DeliveryMark> carried = Set.of();
    private boolean withRequests;
    private boolean outcomesRead;
    private boolean messagesExhausted;
    private long afterOutcome;
    private long afterRequest;
    private long afterReceipt;
    private long afterMessage;
    // The user's last sequence number when this pass began reading (acknowledged delivery): once
    // the pass has written what it read, every item up to it was written or needs no writing.
    private long lastSeqAtStart = -1;

    Run(Session s, boolean withRequests) {
      this.s = s;
      this.c = s.connection();
      this.loop = c.executor();
      this.withRequests = withRequests;
      this.acks = s.has(imps.protocol.Feature.ACKS);
    }

    CompletableFuture<Boolean> start() {
      if (withRequests && Offload.isCurrent(blocking)) {
        // A login, on the blocking pool already (as after a password check): nothing was written
        // on this connection before its login, so it carries nothing, and once the deliveries
        // already made (by a replaced session, too) are on record the first page is read on this
        // thread, without a round trip through the event loop (docs/BENCHMARKS.md, "Hand-offs at
        // login").
        CompletableFuture<Void> flushed = recorder.flushed();
        if (flushed.isDone()) {
          readAndWrite();
        } else {
          flushed.whenComplete((x, e) -> readNext());
        }
        return done;
      }
      loop.execute(
          () -> {
            // What this connection carries already is written again only if it dies meanwhile
            // (a resync of a live session); everything else it was written is recorded once
            // the recorder is flushed. Deliveries already made (by a replaced session, too) must
            // be on record before reading.
            carried = s.inFlight();
            recorder.flushed().whenComplete((x, e) -> readNext());
          });
      return done;
    }

    /** Reads the next part of the backlog on the blocking pool, then writes it. */
    private void readNext() {
      try {
        blocking.execute(this::readAndWrite);
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
      }
    }

    /**
     * On the blocking pool: reads the next part, then has the event loop write it. When there is
     * nothing to write (a login with nothing stored, the usual case) the pass ends on this thread,
     * without a round trip through the event loop (docs/BENCHMARKS.md, "Hand-offs at login").
     */
    private void readAndWrite() {
      try {
        read();
        if (pending.isEmpty() && messagesExhausted) {
          if (finish() != SyncEnd.LIVE) {
            c.flush(); // what the login wrote; going live flushed it already
          }
          return;
        }
        loop.execute(this::write);
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
      }
    }

    private void read() {
      long user = s.userId();
      if (acks && lastSeqAtStart < 0) {
        lastSeqAtStart = accounts.lastSeq(user); // before any item is read
      }
      ArrayDeque<Push> first = acks ? small : pending;
      if (acks) {
        // Only the requests it has not acknowledged (nor been sent by an earlier pass).
        long after = Math.max(accounts.ackedSeq(user), afterRequest);
        for (PendingRequest p : friendStore.pendingFor(user)) {
          if (p.seq() > after) {
            small.add(Pushes.friendRequest(p.id(), p.seq(), p.fromName()));
            afterRequest = Math.max(afterRequest, p.seq());
          }
        }
      } else if (withRequests) {
        // Every pending request at every login (decision 3).
        for (PendingRequest p : friendStore.pendingFor(user)) {
          pending.add(Pushes.friendRequest(p.id(), p.seq(), p.fromName()));
        }
      }
      withRequests = false;
      if (acks && !outcomesRead && s.has(imps.protocol.Feature.RECEIPTS)) {
        for (StoredReceipt r : messageStore.unacknowledgedReceipts(user, afterReceipt)) {
          small.add(Pushes.receipt(r.seq(), r.peerName(), r.read(), r.upTo()));
          afterReceipt = Math.max(afterReceipt, r.seq());
        }
      }
      if (!outcomesRead) {
        for (Outcome o : friendStore.undeliveredOutcomes(user, afterOutcome)) {
          first.add(Pushes.outcome(o.id(), o.seq(), friends.outcomeFrame(o)));
          afterOutcome = o.seq();
        }
        outcomesRead = true;
      }
      if (acks && !small.isEmpty()) {
        List<Push> sorted = new java.util.ArrayList<>(small);
        sorted.sort(java.util.Comparator.comparingLong(Push::seq));
        small.clear();
        small.addAll(sorted);
      }
      List<StoredMessage> page =
          messageStore.undelivered(user, afterMessage, PAGE_ITEMS, PAGE_BYTES);
      for (StoredMessage m : page) {
        while (!small.isEmpty() && small.peek().seq() < m.seq()) {
          pending.add(small.poll());
        }
        pending.add(
            Pushes.message(m.id(), m.seq(), m.senderName(), m.text(), m.audio(), m.acceptedAt()));
        afterMessage = m.seq();
      }
      messagesExhausted = page.isEmpty();
      if (messagesExhausted) {
        pending.addAll(small);
        small.clear();
      }
    }

    /** On the event loop: writes what was read while the client keeps up. */
    private void write() {
      Push p;
      while ((p = pending.peek()) != null) {
        if (!c.isOpen()) {
          done.complete(false);
          return;
        }
        if (!c.isWritable()) {
          c.whenWritable(STALL, this::write, this::stalled);
          return;
        }
        pending.poll();
        if (p.mark() == null || !carried.contains(p.mark())) {
          // Only what was stored when the pass began reading was read whole (receipts and
          // outcomes are read once per pass): a later item covers only itself.
          s.writeBacklog(p, p.seq() <= lastSeqAtStart);
        }
        if (p.mark() != null) {
          sent.add(p.mark());
        }
      }
      c.flush();
      if (!messagesExhausted) {
        readNext();
        return;
      }
      finish();
    }

    /** Ends the pass ({@link Session#finishSync}), or starts another; on any thread. */
    private SyncEnd finish() {
      if (lastSeqAtStart > 0) {
        s.backlogCovers(lastSeqAtStart);
      }
      lastSeqAtStart = -1;
      SyncEnd end = s.finishSync(sent);
      switch (end) {
        case LIVE, HELD -> done.complete(true);
        case ENDED -> done.complete(false);
        case AGAIN -> {
          // Stored items that arrived meanwhile were too many to hold: read on from where this
          // pass stopped (what it wrote may not be recorded as delivered yet).
          sent = new HashSet<>();
          outcomesRead = false;
          messagesExhausted = false;
          readNext();
        }
      }
      return end;
    }

    private void stalled() {
      c.close();
      done.completeExceptionally(new IllegalStateException("client stopped reading its backlog"));
    }
  }
}
