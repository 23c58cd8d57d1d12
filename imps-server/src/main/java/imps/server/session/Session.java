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

  public boolean isLoggedIn() {
    return userId >= 0;
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

  /** Whether friends see this session's user as online. */
  public boolean isVisible() {
    return status == Status.ONLINE;
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
   * Sends the pushes buffered during the backlog, except those the backlog already delivered, then
   * goes live.
   *
   * @param deliveredMessages ids of stored messages the backlog sent
   * @param deliveredOutcomes ids of stored outcomes the backlog sent
   */
  public void finishSync(Set<Long> deliveredMessages, Set<Long> deliveredOutcomes) {
    synchronized (lock) {
      if (state != State.SYNCING) {
        return;
      }
      for (Push p : buffered) {
        Push.DeliveryMark m = p.mark();
        if (m != null
            && (m.kind() == Push.DeliveryMark.Kind.MESSAGE
                ? deliveredMessages.contains(m.id())
                : deliveredOutcomes.contains(m.id()))) {
          continue;
        }
        write(p);
      }
      buffered = null;
      state = State.LIVE;
    }
    connection.flush();
  }

  /**
   * Pushes a frame to this session. Returns false when the session no longer takes pushes (replaced
   * or closed): a stored item then stays undelivered for the next login.
   */
  public boolean deliver(Push push) {
    synchronized (lock) {
      switch (state) {
        case SYNCING -> {
          buffered.add(push);
          return true;
        }
        case LIVE -> write(push);
        default -> {
          return false;
        }
      }
    }
    connection.flush();
    return true;
  }

  /** Writes a backlog item during sync, recording its delivery once written. */
  public void writeBacklog(Push push) {
    write(push);
  }

  /** Stops taking pushes; returns whether the session was logged in (and not ended before). */
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
    connection.write(p.frame(), mark == null ? null : () -> recorder.record(mark));
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
