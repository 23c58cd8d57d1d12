package imps.bench;

import imps.protocol.CommandType;
import imps.protocol.Feature;
import imps.protocol.codec.DecodeError;
import imps.protocol.message.Ack;
import imps.protocol.message.AddFriendResponse;
import imps.protocol.message.AudioPush;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.FriendRequestPush;
import imps.protocol.message.ImpsMessage;
import imps.protocol.message.LocationPush;
import imps.protocol.message.MessagePush;
import imps.protocol.message.StatusNotifyPush;
import imps.protocol.message.StoredPush;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.ArrayDeque;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One client connection, kept small (it must scale to 100,000). Every request gets exactly one
 * reply, in order (spec 7.1), so replies are matched to a FIFO of pending requests; pushes go to
 * the scenario's {@link Listener}. The pending queue is touched only on the channel's event loop:
 * {@link #send} hops there, so the order of the queue and the order on the wire always agree.
 */
public final class Conn extends ChannelInboundHandlerAdapter {

  /** Receives pushes and connection loss; called on the event loop. */
  public interface Listener {
    void onPush(Conn conn, ImpsMessage push);

    default void onClosed(Conn conn) {}

    default void onAnomaly(Conn conn, String what) {}
  }

  /** Receives one reply; {@code reply} is null when the connection closed first. */
  public interface ReplyHandler {
    void onReply(Conn conn, ImpsMessage reply, long t0);
  }

  /** A request on its way: queued and written on the event loop. */
  private static final class Pending implements Runnable {
    final Conn conn;
    ImpsMessage msg;
    final CommandType cmd;
    final String friend; // for C_ADDFRIEND_REQ: whose S_ADDFRIEND_RSP answers it
    final long t0;
    final ReplyHandler handler;

    Pending(Conn conn, ImpsMessage msg, String friend, long t0, ReplyHandler handler) {
      this.conn = conn;
      this.msg = msg;
      this.cmd = msg.commandType();
      this.friend = friend;
      this.t0 = t0;
      this.handler = handler;
    }

    @Override
    public void run() {
      conn.enqueueAndWrite(this);
    }
  }

  public final int index;
  public final String user;
  private final Listener listener;
  private Channel channel;
  private ArrayDeque<Pending> pending; // created on first use
  private volatile boolean closed;
  private Set<Feature> hello; // asked for with C_HELLO at login (set before connecting); or null
  // Acknowledged delivery (--acks), touched on the event loop only:
  private boolean optedIn;
  private long lastSeq; // the highest stored item passed to the listener
  private long ackedSeq; // the highest acknowledged
  private long[] seen; // which of the SEEN_WINDOW numbers up to lastSeq were passed on

  /**
   * Stored items are not always pushed in the order of their numbers (a receipt can come after a
   * message stored later), so repeats are told by a set of recent numbers, as the SDK does; this
   * window is smaller than the SDK's, as a bench runs many connections.
   */
  private static final int SEEN_WINDOW = 256;

  /** Opts this connection into the extensions at login, as the SDK does; before connecting. */
  public void optIn() {
    optIn(true);
  }

  /**
   * As {@link #optIn()}; without {@code receipts}, C_HELLO does not ask for RECEIPTS, so the
   * messages this connection sends get no delivery receipts.
   */
  public void optIn(boolean receipts) {
    optedIn = true;
    hello = EnumSet.allOf(Feature.class);
    if (!receipts) {
      hello.remove(Feature.RECEIPTS);
    }
    seen = new long[SEEN_WINDOW / 64];
  }

  /**
   * Says C_HELLO with just {@code features} at login (without ACKS, stored items come as plain
   * pushes); before connecting. Login fails unless the server grants them all.
   */
  public void askFor(Set<Feature> features) {
    if (features.contains(Feature.ACKS)) {
      throw new IllegalArgumentException("acknowledged delivery is optIn()");
    }
    hello = EnumSet.copyOf(features);
  }

  /** The features this connection asks for with C_HELLO at login, or {@code null} for none. */
  public Set<Feature> hello() {
    return hello;
  }

  /** Records stored item {@code seq}; {@code true} when it had not been seen. */
  private boolean firstTime(long seq) {
    if (seq > lastSeq) {
      for (long s = Math.max(lastSeq + 1, seq - SEEN_WINDOW + 1); s < seq; s++) {
        int i = (int) (s % SEEN_WINDOW);
        seen[i >>> 6] &= ~(1L << i);
      }
      lastSeq = seq;
    } else if (seq <= lastSeq - SEEN_WINDOW) {
      return false;
    } else {
      int i = (int) (seq % SEEN_WINDOW);
      if ((seen[i >>> 6] & (1L << i)) != 0) {
        return false;
      }
    }
    int i = (int) (seq % SEEN_WINDOW);
    seen[i >>> 6] |= 1L << i;
    return true;
  }

  /** Whether the connection opts into the extensions at login. */
  public boolean optedIn() {
    return optedIn;
  }

  /** Scenario-specific per-connection state (e.g. a sequence tracker). */
  public Object attachment;

  public Conn(int index, String user, Listener listener) {
    this.index = index;
    this.user = user;
    this.listener = listener;
  }

  void bind(Channel ch) {
    this.channel = ch;
  }

  public Channel channel() {
    return channel;
  }

  public boolean isOpen() {
    return !closed && channel != null && channel.isActive();
  }

  /** Sends a request; {@code handler} gets its reply (or null if the connection closes first). */
  public void send(ImpsMessage msg, long t0, ReplyHandler handler) {
    send(msg, null, t0, handler);
  }

  /** Sends C_ADDFRIEND_REQ-like requests whose reply may be an S_ADDFRIEND_RSP about friend. */
  public void send(ImpsMessage msg, String friend, long t0, ReplyHandler handler) {
    Pending p = new Pending(this, msg, friend, t0, handler);
    if (channel.eventLoop().inEventLoop()) {
      enqueueAndWrite(p);
    } else {
      channel.eventLoop().execute(p);
    }
  }

  /** Sends a request and completes the future with its reply (or exceptionally). */
  public CompletableFuture<ImpsMessage> request(ImpsMessage msg) {
    return request(msg, null);
  }

  public CompletableFuture<ImpsMessage> request(ImpsMessage msg, String friend) {
    CompletableFuture<ImpsMessage> f = new CompletableFuture<>();
    send(
        msg,
        friend,
        0,
        (c, reply, t0) -> {
          if (reply == null) {
            f.completeExceptionally(new IllegalStateException("connection closed: " + user));
          } else {
            f.complete(reply);
          }
        });
    return f;
  }

  /** Closes the connection; pending requests get a null reply. */
  public void close() {
    if (channel != null) {
      channel.close();
    }
  }

  private void enqueueAndWrite(Pending p) {
    if (closed || !channel.isActive()) {
      p.handler.onReply(this, null, p.t0);
      return;
    }
    if (pending == null) {
      pending = new ArrayDeque<>(4);
    }
    pending.add(p);
    ImpsMessage m = p.msg;
    p.msg = null;
    channel.writeAndFlush(m, channel.voidPromise());
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof DecodeError e) {
      listener.onAnomaly(this, "undecodable frame from server: " + e);
      return;
    }
    ImpsMessage m = (ImpsMessage) msg;
    if (m instanceof StoredPush stored) {
      // As the SDK: a repeat is dropped; the item is acknowledged once the listener returned,
      // cumulatively, at the end of the read (one C_ACK per batch of frames read).
      if (firstTime(stored.seq())) {
        listener.onPush(this, stored.item());
      }
      return;
    }
    if (isPush(m)) {
      listener.onPush(this, m);
      return;
    }
    Pending p = pending == null ? null : pending.poll();
    if (p == null) {
      listener.onAnomaly(this, "reply with no request: " + m);
      return;
    }
    if (!answers(p, m)) {
      listener.onAnomaly(this, "reply " + m + " does not answer command " + p.cmd);
    }
    p.handler.onReply(this, m, p.t0);
  }

  private boolean isPush(ImpsMessage m) {
    if (m instanceof MessagePush
        || m instanceof AudioPush
        || m instanceof StatusNotifyPush
        || m instanceof FriendRequestPush
        || m instanceof LocationPush) {
      return true;
    }
    if (m instanceof ErrorResponse e) {
      return e.cmd() == 0;
    }
    if (m instanceof AddFriendResponse r) {
      Pending head = pending == null ? null : pending.peek();
      return head == null
          || head.cmd != CommandType.C_ADDFRIEND_REQ
          || head.friend == null
          || !head.friend.equalsIgnoreCase(r.userName());
    }
    return false;
  }

  private static boolean answers(Pending p, ImpsMessage m) {
    if (m instanceof ErrorResponse e) {
      return e.cmd() == p.cmd.value();
    }
    return m.commandType().value() == p.cmd.value() + 1
        || (m instanceof AddFriendResponse && p.cmd == CommandType.C_ADDFRIEND_REQ);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (lastSeq > ackedSeq) {
      ackedSeq = lastSeq;
      ctx.writeAndFlush(new Ack(lastSeq), ctx.voidPromise());
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closed = true;
    if (pending != null) {
      Pending p;
      int n = 0;
      while ((p = pending.poll()) != null && n++ < 10_000_000) {
        p.handler.onReply(this, null, p.t0);
      }
    }
    listener.onClosed(this);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    listener.onAnomaly(this, "connection error: " + cause);
    ctx.close();
  }
}
