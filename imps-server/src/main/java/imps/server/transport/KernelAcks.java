package imps.server.transport;

import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.epoll.EpollTcpInfo;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Holds back the delivery marks of a legacy connection until the peer's kernel has acknowledged
 * their bytes (finding H1): a phone that loses its network without a FIN takes whatever was written
 * to it with it, and those items must count as undelivered, to come again at its next login.
 *
 * <p>Linux tells, through {@code TCP_INFO}, how many sent segments are unacknowledged, but not how
 * many bytes wait unsent behind a closed receive window. So a mark is released only when two
 * checks, at least one zero-window probe interval apart and both after its frame was handed to the
 * kernel, found nothing unacknowledged and no probe backoff: had the peer's window been closed at
 * the first, the kernel would have probed it before the second. What remains is a peer that keeps
 * its window barely open and vanishes within one such interval; docs/PROTOCOL.md states it.
 *
 * <p>When the peer closes with a FIN, the marks are released if nothing is unacknowledged: a peer
 * that closes with unread data sends a RST instead. When the server closes, it first waits a moment
 * for the peer to acknowledge what it was sent. Marks still held when the connection ends are
 * dropped: their items stay undelivered. Event loop only; one per connection, made on its first
 * mark.
 */
final class KernelAcks {
  /** The kernel's least zero-window probe interval (TCP_RTO_MIN), plus timer slack. */
  private static final long MIN_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

  private static final long SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  // 32 longs: one per event loop rather than one per connection.
  private static final FastThreadLocal<EpollTcpInfo> INFO =
      new FastThreadLocal<>() {
        @Override
        protected EpollTcpInfo initialValue() {
          return new EpollTcpInfo();
        }
      };

  private record Held(Runnable onAcked, long writtenAt) {}

  private final EpollSocketChannel channel;
  private final ArrayDeque<Held> held = new ArrayDeque<>(4);
  private long cleanSince = -1; // when the last check found nothing in flight, or -1
  private long interval = MIN_INTERVAL_NANOS;
  private ScheduledFuture<?> timer;

  KernelAcks(EpollSocketChannel channel) {
    this.channel = channel;
  }

  /** The frame of {@code onAcked} is in the kernel now; run it once the peer has its bytes. */
  void written(Runnable onAcked) {
    held.addLast(new Held(onAcked, System.nanoTime()));
    if (timer == null) {
      timer = channel.eventLoop().schedule(this::check, interval, TimeUnit.NANOSECONDS);
    }
  }

  private void check() {
    timer = null;
    if (!channel.isActive()) {
      held.clear();
      return;
    }
    EpollTcpInfo info = INFO.get();
    channel.tcpInfo(info);
    long now = System.nanoTime();
    if (quiet(info)) {
      if (cleanSince >= 0) {
        release(cleanSince);
      }
      cleanSince = now;
    } else {
      cleanSince = -1;
    }
    // rto is in microseconds; the first zero-window probe comes after max(rto, 200 ms).
    interval =
        Math.max(MIN_INTERVAL_NANOS, TimeUnit.MICROSECONDS.toNanos(info.rto()) + SLACK_NANOS);
    if (!held.isEmpty()) {
      timer = channel.eventLoop().schedule(this::check, interval, TimeUnit.NANOSECONDS);
    }
  }

  /** How long a close by the server waits for the peer to acknowledge what it was sent. */
  private static final long CLOSE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  private static final long CLOSE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  /**
   * The server closes the connection (a newer login replaced it, or it is shut down), or
   * half-closes it (the drain's FIN after the shutdown notice): runs {@code close} once the peer
   * acknowledged everything written, its marks released, or after {@link #CLOSE_WAIT_NANOS} with
   * the marks still held dropped.
   */
  void closeWhenAcknowledged(Runnable close) {
    closeWhenAcknowledged(close, System.nanoTime() + CLOSE_WAIT_NANOS);
  }

  private void closeWhenAcknowledged(Runnable close, long deadline) {
    if (held.isEmpty() || !channel.isActive()) {
      closed();
      close.run();
      return;
    }
    EpollTcpInfo info = INFO.get();
    channel.tcpInfo(info);
    if (quiet(info) || System.nanoTime() > deadline) {
      if (quiet(info)) {
        release(Long.MAX_VALUE);
      }
      closed();
      close.run();
      return;
    }
    channel
        .eventLoop()
        .schedule(
            () -> closeWhenAcknowledged(close, deadline), CLOSE_POLL_NANOS, TimeUnit.NANOSECONDS);
  }

  /** The peer sent a FIN: it read everything that reached it. */
  void peerClosed() {
    if (channel.isActive() && !held.isEmpty()) {
      EpollTcpInfo info = INFO.get();
      channel.tcpInfo(info);
      if (quiet(info)) {
        release(Long.MAX_VALUE);
      }
    }
    closed();
  }

  /** The connection ended: what is still held stays undelivered. */
  void closed() {
    held.clear();
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  // Linux TCP states (include/net/tcp_states.h).
  private static final int TCP_ESTABLISHED = 1;
  private static final int TCP_CLOSE_WAIT = 8;

  /**
   * Nothing sent is unacknowledged, and the kernel is not probing a closed window, on a connection
   * that is still established (or that only the peer closed, with a FIN). A RST (a peer that closes
   * with unread data) puts the socket in state CLOSE and discards its send queue, so it then shows
   * nothing unacknowledged although the peer got none of what was waiting: not quiet.
   */
  private static boolean quiet(EpollTcpInfo info) {
    int state = info.state();
    return (state == TCP_ESTABLISHED || state == TCP_CLOSE_WAIT)
        && info.unacked() == 0
        && info.backoff() == 0
        && info.probes() == 0;
  }

  private void release(long writtenBefore) {
    while (!held.isEmpty() && held.peekFirst().writtenAt() < writtenBefore) {
      held.pollFirst().onAcked().run();
    }
  }
}
