package imps.server.session;

import imps.protocol.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * One client connection and, once logged in, its user. Requests run on {@link #requests()}, one at
 * a time in arrival order.
 *
 * <p>Delivery: while the login backlog is being sent (state {@code SYNCING}), live pushes are
 * buffered, so that stored messages always precede newer live ones; {@link #finishSync} sends the
 * buffer, skipping what the backlog already carried. After the session is replaced by a newer login
 * or closed, pushes are refused and stay stored for the next login.
 */
public final class Session {
  /** Pushes held during a login backlog before the session gives up and closes. */
  static final int MAX_BUFFERED = 10_000;

  private enum State {
    ANONYMOUS,
    SYNCING,
    LIVE,
    ENDED
  }

  private final Connection connection;
  private final SerialExecutor requests;
  private final DeliveryRecorder recorder;

  private final Object lock = new Object();
  private State state = State.ANONYMOUS;
  private List<Push> buffered = new ArrayList<>();
  private volatile long userId = -1;
  private volatile String userName;
  private volatile String nameKey;
  private volatile int status = Status.ONLINE;
  private volatile int friendsSee = Status.OFFLINE;

  public Session(Connection connection, Executor pool, DeliveryRecorder recorder) {
    this.connection = connection;
    this.requests = new SerialExecutor(pool);
    this.recorder = recorder;
  }

  public Connection connection() {
    return connection;
  }

  public SerialExecutor requests() {
    return requests;
  }

  /** Whether a login succeeded on this connection (stays true after the session ended). */
  public boolean isLoggedIn() {
    return userId >= 0;
  }

  /** Whether the session is logged in and neither replaced nor signed out. */
  public boolean isActive() {
    synchronized (lock) {
      return state == State.SYNCING || state == State.LIVE;
    }
  }

  public long userId() {
    return userId;
  }

  public String userName() {
    return userName;
  }

  public String nameKey() {
    return nameKey;
  }

  /** 2 online or 1 invisible (meaningful once logged in). */
  public int status() {
    return status;
  }

  public void setStatus(int status) {
    this.status = status;
  }

  /** Whether the user chose to be seen (status 2). */
  public boolean isVisible() {
    return status == Status.ONLINE;
  }

  /**
   * What the user's friends were last told about the user (2 or 0), carried over from a replaced
   * session so that a new login announces only real changes.
   */
  public int friendsSee() {
    return friendsSee;
  }

  public void setFriendsSee(int friendsSee) {
    this.friendsSee = friendsSee;
  }

  /** Marks the session logged in; pushes are buffered until {@link #finishSync}. */
  public void startSync(long userId, String userName, String nameKey, int status) {
    synchronized (lock) {
      this.userId = userId;
      this.userName = userName;
      this.nameKey = nameKey;
      this.status = status;
      state = State.SYNCING;
    }
  }

  /**
   * Goes back from live to syncing, holding pushes back again, so that a {@link Backlog} can send
   * stored items that a lost push left behind before anything newer.
   *
   * @return false when the session is not live (still syncing, or ended)
   */
  public boolean restartSync() {
    synchronized (lock) {
      if (state != State.LIVE) {
        return false;
      }
      buffered = new ArrayList<>();
      state = State.SYNCING;
      return true;
    }
  }

  /**
   * Sends the pushes buffered during the backlog, except those the backlog already carried, then
   * goes live.
   *
   * @param sent marks of the items the backlog sent
   * @return false when the session ended meanwhile (replaced or closed)
   */
  public boolean finishSync(Set<Push.DeliveryMark> sent) {
    synchronized (lock) {
      if (state != State.SYNCING) {
        return false;
      }
      for (Push p : buffered) {
        if (p.mark() == null || !sent.contains(p.mark())) {
          write(p);
        }
      }
      buffered = null;
      state = State.LIVE;
    }
    connection.flush();
    return true;
  }

  /**
   * Pushes a frame to this session. Returns false when the session no longer takes pushes (replaced
   * or closed): a stored item then stays undelivered for the next login.
   */
  public boolean deliver(Push push) {
    synchronized (lock) {
      switch (state) {
        case SYNCING -> {
          if (buffered.size() >= MAX_BUFFERED) {
            // Too much arrived during the backlog: close, so that everything stored comes, in
            // order, at the next login rather than holding it all in memory.
            state = State.ENDED;
            buffered = null;
            connection.close();
            return false;
          }
          buffered.add(push);
          return true;
        }
        case LIVE -> {
          Push.DeliveryMark mark = push.mark();
          connection.writeAndFlush(
              push.frame(), mark == null || !mark.recorded() ? null : () -> recorder.record(mark));
          return true;
        }
        default -> {
          return false;
        }
      }
    }
  }

  /** Writes a backlog item during sync, recording its delivery once written. */
  public void writeBacklog(Push push) {
    write(push);
  }

  /** Stops taking pushes; returns whether the session was active until now. */
  public boolean end() {
    synchronized (lock) {
      boolean wasActive = state == State.SYNCING || state == State.LIVE;
      state = State.ENDED;
      buffered = null;
      return wasActive;
    }
  }

  private void write(Push p) {
    Push.DeliveryMark mark = p.mark();
    connection.write(
        p.frame(), mark == null || !mark.recorded() ? null : () -> recorder.record(mark));
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
