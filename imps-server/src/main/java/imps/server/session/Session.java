package imps.server.session;

import imps.protocol.ErrorCode;
import imps.protocol.Feature;
import imps.protocol.Presence;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.FriendRemoved;
import imps.protocol.message.ImpsMessage;
import imps.protocol.message.LocationPush;
import imps.server.cluster.RoutedSession;
import imps.server.delivery.DeliveryMark;
import imps.server.delivery.DeliveryRecorder;
import imps.server.delivery.MessageCounts;
import imps.server.delivery.Push;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * One client connection and, once logged in, its user. Requests run on {@link #requests()}, one at
 * a time in arrival order, on the connection's event loop.
 *
 * <p>Delivery ({@link SyncState} keeps the states): while a backlog is being sent (state {@code
 * SYNCING}), live pushes are held back ({@link HeldPushes}, bounded in bytes), so that stored items
 * always precede newer live ones; {@link #finishSync} sends what was held, skipping what the
 * backlog already carried. After the session is replaced by a newer login or closed, pushes are
 * refused and stay stored for the next login.
 *
 * <p>Resynchronisation (a cluster may lose pushes in transit): {@link #holdForResync} holds pushes
 * back at once, from the thread that learns of the loss; {@link #resendStored} then queues the
 * resend handler (the dispatcher's backlog run, {@link #restartSync}) on the request queue. The
 * marks of the items the last backlog sent are remembered (a bounded number), so that a push of the
 * same item that arrives after the sync finished (a slow or late push from another node) is not
 * written a second time.
 */
public final class Session implements RoutedSession {
  /** Bytes of pushes held during a backlog before stored items are left to a further pass. */
  static final long MAX_HELD_BYTES = 4L * 1024 * 1024;

  /** Marks of the last backlog remembered to drop late duplicate pushes. */
  static final int REMEMBERED_BACKLOG = 256;

  /** How a backlog pass ended ({@link #finishSync}). */
  public enum SyncEnd {
    /** The session is live: held pushes were written. */
    LIVE,
    /** Stored items were left out of the held pushes: run another pass now. */
    AGAIN,
    /** A resync is queued (pushes may have been lost): keep holding, it sends the rest. */
    HELD,
    /** The session ended meanwhile. */
    ENDED
  }

  private static final ErrorResponse LOGGED_IN_ELSEWHERE =
      ErrorResponse.unsolicited(ErrorCode.LOGGED_IN_ELSEWHERE);

  private final Connection connection;
  private final RequestQueue requests;
  private final Deliveries deliveries;
  private final Function<Session, CompletionStage<ImpsMessage>> resend;

  private final SyncState sync;
  private volatile long userId = -1;
  private volatile String userName;
  private volatile String nameKey;
  private volatile Presence status = Presence.ONLINE;
  private volatile Presence friendsSee = Presence.OFFLINE;
  // Extensions the client opted into (C_HELLO); a shared empty set for legacy clients.
  private volatile Set<Feature> features = Set.of();
  private volatile String token; // the session token of a client with acknowledged delivery
  private volatile BiConsumer<Session, String> friendRemoved = (s, name) -> {};
  private volatile boolean liveLocations; // C_LIVE_LOCATIONS: friends' positions are pushed

  /**
   * @param recorder records deliveries of stored items once written
   * @param counts the node's counts, where each text and clip written is counted
   * @param resend run on the request queue after {@link #resendStored}: sends what is stored, then
   *     {@link #finishSync}
   */
  public Session(
      Connection connection,
      DeliveryRecorder recorder,
      Function<Session, CompletionStage<ImpsMessage>> resend,
      MessageCounts counts) {
    this.connection = connection;
    this.requests = new RequestQueue(connection.executor(), connection);
    this.deliveries = new Deliveries(connection, recorder, counts);
    this.sync = new SyncState(deliveries);
    this.resend = resend;
  }

  /**
   * Runs {@code hook} (on the pushing thread: it must not block) when an {@code S_FRIEND_REMOVED}
   * push reaches this session, before it is written, whether or not the client takes it: this node
   * then forgets the friendship before the user can learn of its end.
   */
  public void onFriendRemoved(BiConsumer<Session, String> hook) {
    this.friendRemoved = hook;
  }

  public Connection connection() {
    return connection;
  }

  public RequestQueue requests() {
    return requests;
  }

  /** Whether a login succeeded on this connection (stays true after the session ended). */
  public boolean isLoggedIn() {
    return userId >= 0;
  }

  /** Whether the session is logged in and neither replaced nor signed out. */
  public boolean isActive() {
    return sync.isActive();
  }

  @Override
  public long userId() {
    return userId;
  }

  @Override
  public String userName() {
    return userName;
  }

  public String nameKey() {
    return nameKey;
  }

  /** The session token given to (or resumed by) this client, or {@code null}. */
  public String token() {
    return token;
  }

  public void setToken(String token) {
    this.token = token;
  }

  /** The protocol extensions this connection opted into. */
  public Set<Feature> features() {
    return features;
  }

  /** Whether the client opted into {@code feature}. */
  public boolean has(Feature feature) {
    return features.contains(feature);
  }

  /** Sets the extensions granted to this connection (before login). */
  public void setFeatures(Set<Feature> granted) {
    this.features = Set.copyOf(granted);
  }

  /**
   * The client acknowledged every stored item up to {@code seq} (acknowledged delivery): they are
   * recorded as delivered, but only as far as every item up to them was written to this connection
   * ({@link Deliveries}): an earlier item still on its way must come again if the connection dies.
   *
   * @return the sequence number now recorded, or 0 when nothing changed
   */
  public long acknowledge(long seq) {
    long user = userId;
    return user < 0 ? 0 : deliveries.acknowledge(user, seq);
  }

  /**
   * What a client that has item {@code seq} has for sure of what this connection was written: the
   * sequence number up to which everything was written before that item (0 when it was not written
   * here). For a resume after this session ended ({@code C_RESUME}'s last sequence number).
   */
  public long coverAt(long seq) {
    return deliveries.coverAt(seq);
  }

  /** The last {@code n} items written here and not acknowledged, with their covers (pairs). */
  public long[] coverTail(int n) {
    return deliveries.coverTail(n);
  }

  /**
   * A backlog pass read everything stored up to {@code lastSeq} and has written what was not
   * delivered: acknowledgements may count up to it.
   */
  public void backlogCovers(long lastSeq) {
    if (has(Feature.ACKS)) {
      deliveries.coveredUpTo(lastSeq);
    }
  }

  /** Online or invisible, as the user chose (meaningful once logged in). */
  public Presence status() {
    return status;
  }

  public void setStatus(Presence status) {
    this.status = status;
  }

  @Override
  public boolean isVisible() {
    return status == Presence.ONLINE;
  }

  /**
   * What the user's friends were last told about the user (online or offline), carried over from a
   * replaced session so that a new login announces only real changes.
   */
  public Presence friendsSee() {
    return friendsSee;
  }

  public void setFriendsSee(Presence friendsSee) {
    this.friendsSee = friendsSee;
  }

  /** Marks the session logged in; pushes are buffered until {@link #finishSync}. */
  public void startSync(long userId, String userName, String nameKey, Presence status) {
    sync.start(
        () -> {
          this.userId = userId;
          this.userName = userName;
          this.nameKey = nameKey;
          this.status = status;
        });
  }

  /**
   * Pushes to this session may have been lost in transit: holds new pushes back at once (until a
   * backlog run through {@link #restartSync} and {@link #finishSync} resends what is stored), so
   * that nothing arriving after this call overtakes the stored items. If a backlog is running
   * already (at login), its end keeps holding, and the next one sends the rest.
   *
   * @return true when the caller must now queue that backlog run; false when one is queued already
   *     or the session is not active
   */
  @Override
  public boolean holdForResync() {
    return sync.holdForResync();
  }

  @Override
  public void resendStored() {
    requests.execute(() -> resend.apply(this));
  }

  /**
   * Goes back from live to syncing, holding pushes back again, so that a backlog can send stored
   * items that a lost push left behind before anything newer.
   *
   * <p>After {@link #holdForResync} the session is syncing already, holding pushes since then; this
   * keeps them.
   *
   * @return false when the session is neither live nor held for a resync (still syncing at login,
   *     or ended)
   */
  public boolean restartSync() {
    return sync.restartSync();
  }

  /**
   * Ends a backlog pass: sends the pushes held meanwhile, except those the backlog already carried,
   * and goes live. If a resync was asked for meanwhile ({@link #holdForResync}) it keeps holding
   * (the queued resync sends the rest); if stored items had to be left out of the held pushes, it
   * keeps holding and asks for another pass.
   *
   * @param sent marks of the items the backlog sent
   */
  public SyncEnd finishSync(Set<DeliveryMark> sent) {
    SyncEnd end = sync.finishSync(sent, has(Feature.ACKS));
    if (end == SyncEnd.LIVE) {
      connection.flush();
    }
    return end;
  }

  /**
   * Pushes a frame to this session. Returns false when the session no longer takes pushes (replaced
   * or closed): a stored item then stays undelivered for the next login.
   */
  /** Starts or stops the pushes of friends' new positions (C_LIVE_LOCATIONS). */
  public void setLiveLocations(boolean on) {
    this.liveLocations = on;
  }

  @Override
  public boolean deliver(Push push) {
    if (push.frame() instanceof FriendRemoved removed) {
      friendRemoved.accept(this, removed.friendName());
      if (!features.contains(Feature.SOCIAL)) {
        // A legacy client simply finds the friend gone from its next friend list (section 8.5).
        return true;
      }
    }
    if (push.frame() instanceof LocationPush && !liveLocations) {
      return true; // a friend's position, for the connections that asked for them only
    }
    if (push.mark() != null
        && push.mark().kind() == DeliveryMark.Kind.RECEIPT
        && !features.contains(Feature.RECEIPTS)) {
      // Stored for a later session of this user that asks for receipts; not this one's to write.
      if (features.contains(Feature.ACKS)) {
        deliveries.written(push.seq());
      }
      return true;
    }
    return sync.offer(push, has(Feature.ACKS));
  }

  /** Writes a backlog item during sync, recording its delivery once written (or acknowledged). */
  public void writeBacklog(Push push) {
    writeBacklog(push, true);
  }

  /**
   * As {@link #writeBacklog(Push)}; {@code inSequence} when the backlog read every item up to this
   * one, so that it covers them all (acknowledged delivery). An item stored after the backlog began
   * reading may follow items of lower numbers that it did not read (they are held, and come after
   * it): it covers only itself.
   */
  public void writeBacklog(Push push, boolean inSequence) {
    sync.backlogSends(push.mark());
    // Outside the lock: while syncing, live pushes are held, so nothing else writes meanwhile.
    // The backlog goes in sequence order and skips only what needs no writing.
    deliveries.write(push, has(Feature.ACKS), false, inSequence);
  }

  /**
   * Ends this session because a newer login of its user replaced it: no more pushes, {@code
   * S_ERROR_RSP(7, 0)}, then the connection is closed (await {@link #awaitClosed}).
   *
   * @return what friends saw of the user through this session; offline if it had ended already
   */
  @Override
  public Presence replaceByNewerLogin() {
    Presence saw = friendsSee;
    boolean wasActive = end();
    connection.send(LOGGED_IN_ELSEWHERE);
    connection.close();
    return wasActive ? saw : Presence.OFFLINE;
  }

  @Override
  public void closeByOperator() {
    connection.close();
  }

  /**
   * Waits (at most 2 s) until the connection is closed. Its writes have settled by then, so the
   * deliveries it made are queued for recording before a newer session reads its backlog.
   */
  @Override
  public void awaitClosed() {
    try {
      connection.close().get(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // Closed or not, it takes no more pushes.
    }
  }

  /** Stops taking pushes; returns whether the session was active until now. */
  public boolean end() {
    return sync.end();
  }

  /**
   * The marks of items written to this connection whose delivery is not recorded yet. Taken on the
   * connection's thread before the recorder is flushed, it tells a backlog which undelivered items
   * the connection carries already: every other written item is recorded by then.
   */
  public Set<DeliveryMark> inFlight() {
    return deliveries.inFlight();
  }

  @Override
  public String toString() {
    return "Session["
        + (userName == null ? "anonymous" : userName)
        + "@"
        + connection.remoteAddress()
        + "]";
  }
}
