package imps.server.transport;

import io.netty.channel.ChannelException;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.Socket;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Holds back the delivery marks of a legacy connection until the peer's kernel has acknowledged
 * their bytes (finding H1): a phone that loses its network without a FIN takes whatever was written
 * to it with it, and those items must count as undelivered, to come again at its next login.
 *
 * <p>Linux tells, through {@code TCP_INFO}, how many sent segments are unacknowledged and how many
 * bytes wait unsent ({@code tcpi_notsent_bytes}, since Linux 4.6), behind a closed receive window
 * for instance. A mark is released only when two checks, at least one zero-window probe interval
 * apart and both after its frame was handed to the kernel, found nothing unsent, nothing
 * unacknowledged and no probe backoff. The bytes unsent are what tells a closed window: without
 * them (as before, and still on older kernels, where they read 0) a peer whose window had closed
 * looked quiet until the kernel's first zero-window probe, one retransmission timeout later, and
 * the rule relied on that probe coming before the second check. It did not always: a window that
 * closes and opens again (a client that reads slowly) resets the probe back-off, and on a loaded
 * machine two readings in a row found a connection "quiet" with 4 MB unsent. The releases on one
 * reading (a FIN, a close by the server) lost whatever sat unsent when they came within the first
 * probe interval (StalledBacklogReleaseIT). What remains is a peer that keeps its window barely
 * open and vanishes within one such interval; docs/PROTOCOL.md states it.
 *
 * <p>When the peer closes with a FIN, the marks are released if nothing is unsent or
 * unacknowledged: a peer that closes with unread data sends a RST instead. When the server closes,
 * it first waits a moment for the peer to acknowledge what it was sent. Marks still held when the
 * connection ends are dropped: their items stay undelivered. Event loop only; one per connection,
 * made on its first mark.
 */
final class KernelAcks {
  /** The kernel's least zero-window probe interval (TCP_RTO_MIN), plus timer slack. */
  private static final long MIN_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

  private static final long SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private static final int IPPROTO_TCP = 6;
  private static final int TCP_INFO = 11;

  /**
   * {@code getsockopt(IPPROTO_TCP, TCP_INFO)} as far as {@code tcpi_notsent_bytes}: Netty's {@code
   * EpollTcpInfo} stops before it.
   */
  private static final int TCP_INFO_LENGTH = 148;

  /**
   * The buffer each event loop thread reads {@code TCP_INFO} into, again and again, for all its
   * connections: the channel option ({@code RawUnixChannelOption} through {@code
   * EpollChannelConfig.getOption}) allocates a new buffer for every reading, and a connection with
   * held marks reads at least every 250 ms. Each reading is used up before a mark's action runs,
   * which could read another connection's (see {@link #check}). Direct, so that the kernel writes
   * into it without a copy through an array. A kernel with a shorter {@code struct tcp_info} never
   * writes the rest, which stays zero as allocated.
   */
  private static final FastThreadLocal<ByteBuffer> TCP_INFO_BUFFER =
      new FastThreadLocal<>() {
        @Override
        protected ByteBuffer initialValue() {
          return ByteBuffer.allocateDirect(TCP_INFO_LENGTH).order(ByteOrder.nativeOrder());
        }
      };

  // Offsets in struct tcp_info (include/uapi/linux/tcp.h).
  private static final int TCPI_STATE = 0;
  private static final int TCPI_PROBES = 3;
  private static final int TCPI_BACKOFF = 4;
  private static final int TCPI_RTO = 8;
  private static final int TCPI_UNACKED = 24;
  private static final int TCPI_NOTSENT_BYTES = 144;

  private record Held(Runnable onAcked, long writtenAt) {}

  private final EpollSocketChannel channel;
  // The channel's own socket (its fd() is its LinuxSocket), for getsockopt into TCP_INFO_BUFFER.
  private final Socket socket;
  private final ArrayDeque<Held> held = new ArrayDeque<>(4);
  private long cleanSince = -1; // when the last check found nothing in flight, or -1
  private long interval = MIN_INTERVAL_NANOS;
  private ScheduledFuture<?> timer;

  KernelAcks(EpollSocketChannel channel) {
    this.channel = channel;
    this.socket = (Socket) channel.fd();
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
    ByteBuffer info = tcpInfo();
    long now = System.nanoTime();
    // Everything needed from the reading before a mark's action runs (it may read another
    // connection's TCP_INFO into the same buffer).
    boolean quiet = quiet(info);
    // rto is in microseconds; the first zero-window probe comes after max(rto, 200 ms).
    long rto = Integer.toUnsignedLong(info.getInt(TCPI_RTO));
    if (quiet) {
      if (cleanSince >= 0) {
        release(cleanSince);
      }
      cleanSince = now;
    } else {
      cleanSince = -1;
    }
    interval = Math.max(MIN_INTERVAL_NANOS, TimeUnit.MICROSECONDS.toNanos(rto) + SLACK_NANOS);
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
    boolean quiet = quiet(tcpInfo());
    if (quiet || System.nanoTime() > deadline) {
      if (quiet) {
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
      if (quiet(tcpInfo())) {
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

  /** This connection's {@code TCP_INFO}, in this thread's buffer: valid until the next reading. */
  private ByteBuffer tcpInfo() {
    ByteBuffer info = TCP_INFO_BUFFER.get().clear();
    try {
      socket.getRawOpt(IPPROTO_TCP, TCP_INFO, info);
    } catch (IOException e) {
      throw new ChannelException(e);
    }
    return info.flip();
  }

  /**
   * Nothing written waits unsent, nothing sent is unacknowledged, and the kernel is not probing a
   * closed window, on a connection that is still established (or that only the peer closed, with a
   * FIN): every byte handed to the kernel so far is in the peer's. Bytes unsent matter most: behind
   * a window the peer closed, everything sent is acknowledged, and until the first zero-window
   * probe nothing else shows it. A RST (a peer that closes with unread data) puts the socket in
   * state CLOSE and discards its send queue, so it then shows nothing unacknowledged although the
   * peer got none of what was waiting: not quiet.
   */
  private static boolean quiet(ByteBuffer info) {
    int state = info.get(TCPI_STATE) & 0xff;
    return (state == TCP_ESTABLISHED || state == TCP_CLOSE_WAIT)
        && info.getInt(TCPI_NOTSENT_BYTES) == 0
        && info.getInt(TCPI_UNACKED) == 0
        && info.get(TCPI_BACKOFF) == 0
        && info.get(TCPI_PROBES) == 0;
  }

  private void release(long writtenBefore) {
    while (!held.isEmpty() && held.peekFirst().writtenAt() < writtenBefore) {
      held.pollFirst().onAcked().run();
    }
  }
}
