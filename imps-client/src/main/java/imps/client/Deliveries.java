package imps.client;

import imps.protocol.message.Ack;
import io.netty.channel.Channel;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Acknowledged delivery on the client's side: which stored items ({@code S_STORED}) the application
 * has, and their cumulative acknowledgement ({@code C_ACK}).
 *
 * <p>An item is <em>seen</em> when it is handed to the event thread for the listener, and
 * <em>handled</em> once the listener has returned from it. Only handled items are acknowledged: an
 * item whose callback had not returned when the connection dropped is sent again by the server
 * after the reconnection. An item whose sequence number was seen already is a repeat (the server
 * sends again what it has no acknowledgement for) and is not passed on; the server does not always
 * push items in the order of their numbers, so the numbers seen are kept as a set ({@link
 * SeenSeqs}), not as a maximum.
 *
 * <p>When acknowledgements go out: after the listener returns from an item, a flush is queued on
 * the I/O thread; it sends one {@code C_ACK} with the number of the last item handled (the server
 * counts everything written before that item, docs/PROTOCOL.md 8.3). Items handled while a flush is
 * queued share it, so under load one {@code C_ACK} covers many items and when idle each item is
 * acknowledged at once. After every login the last handled number is acknowledged again unless the
 * login was a resume that carried it.
 *
 * <p>Threads: {@link #arrive}, {@link #loggedIn} and {@link #dropped} run on the I/O thread, {@link
 * #done} on the event thread; {@link #handled} on any.
 */
final class Deliveries {
  private final ClientConnection connection;
  private final AtomicLong handled = new AtomicLong();
  private final AtomicBoolean flushQueued = new AtomicBoolean();
  // I/O thread only:
  private final SeenSeqs seen = new SeenSeqs();
  private Channel channel; // the logged-in channel with acknowledged delivery, or null
  private long acked; // the highest number acknowledged on that channel

  Deliveries(ClientConnection connection) {
    this.connection = connection;
  }

  /** The sequence number of the last item the listener has returned from (0 for none). */
  long handled() {
    return handled.get();
  }

  /** I/O thread: a login as another user than before: start from nothing. */
  void reset() {
    seen.clearAll();
    handled.set(0);
  }

  /**
   * I/O thread: logged in on {@code ch}.
   *
   * @param acks whether the server granted acknowledged delivery
   * @param carried the number the login told the server (a resume's last sequence number), or 0
   */
  void loggedIn(Channel ch, boolean acks, long carried) {
    channel = acks ? ch : null;
    acked = carried;
    flush();
  }

  /** I/O thread: the connection dropped; nothing is acknowledged until the next login. */
  void dropped() {
    channel = null;
  }

  /**
   * I/O thread: a stored item arrived.
   *
   * @return whether it is new and goes to the listener; either way call {@link #done} on the event
   *     thread after what arrived before it (for a repeat: at once, nothing to hand over)
   */
  boolean arrive(long seq) {
    return seen.add(seq);
  }

  /**
   * Event thread: the listener has returned from item {@code seq} (or, for a repeat, from
   * everything that arrived before it). The acknowledgement names this item, the last one the
   * client has, not the highest number: the server counts what was written before the item named,
   * which the client has for sure since bytes arrive in order, and nothing written after it.
   */
  void done(long seq) {
    handled.set(seq);
    requestFlush();
  }

  private void requestFlush() {
    if (flushQueued.compareAndSet(false, true)) {
      connection.execute(this::flush);
    }
  }

  private void flush() {
    flushQueued.set(false);
    long h = handled.get();
    if (channel != null && h != acked && h > 0) {
      acked = h;
      connection.sendOneWay(channel, new Ack(h));
    }
  }
}
