package imps.server.transport;

import imps.protocol.message.ImpsMessage;
import imps.server.session.Connection;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * {@link Connection} over a Netty channel.
 *
 * <p>{@code onWritten} of a frame (a legacy connection's delivery mark) runs once the peer's kernel
 * acknowledged its bytes where Linux can tell ({@link KernelAcks}), else once it is in the socket.
 *
 * <p>A peer that stops reading must not make the server buffer for it without limit: once more than
 * {@code output.max-bytes-per-connection} wait in its outbound buffer the connection is closed (and
 * all connections together have {@link OutputBudget}). Frames that were not written then are stored
 * items that stay undelivered, so they come again at the next login.
 */
final class NettyConnection implements Connection {
  // Fields are kept to the minimum: there is one of these per connection, up to 100,000 of them.
  private final Channel channel;
  private final ConnectionLimits limits;
  private volatile String remoteAddress;
  private WritableWaiter waiter; // event loop only
  private volatile boolean overflowed;
  private KernelAcks kernelAcks; // event loop only; made on the first mark of an epoll connection

  /**
   * @param limits the bytes that may wait to be written before the connection is closed, and the
   *     budget of all connections together
   */
  NettyConnection(Channel channel, ConnectionLimits limits) {
    this.channel = channel;
    this.limits = limits;
    this.remoteAddress = hostOf(channel.remoteAddress());
  }

  /** Replaces the address with the real client's, as a PROXY protocol header gave it. */
  void setRemoteAddress(String address) {
    this.remoteAddress = address;
  }

  @Override
  public void write(ImpsMessage message, Runnable onWritten) {
    output(message, onWritten, false);
  }

  /**
   * One task on the event loop instead of two: writes from worker threads each cost a task
   * hand-off, which showed up as a hot spot under load.
   */
  @Override
  public void writeAndFlush(ImpsMessage message, Runnable onWritten) {
    output(message, onWritten, true);
  }

  private void output(ImpsMessage message, Runnable onWritten, boolean flush) {
    if (overflowed) {
      return;
    }
    if (!channel.isWritable()) {
      if (OutputBudget.pending(channel) > limits.maxOutputBytes()) {
        // Nothing after this frame may be written either: a later stored item recorded as
        // delivered would be skipped by the next login's backlog, which starts at this one.
        overflowed = true;
        channel.close();
        return;
      }
      limits.output().grew();
    }
    if (onWritten == null) {
      if (flush) {
        channel.writeAndFlush(message, channel.voidPromise());
      } else {
        channel.write(message, channel.voidPromise());
      }
      return;
    }
    ChannelFutureListener listener =
        f -> {
          if (f.isSuccess()) {
            written(onWritten);
          }
        };
    (flush ? channel.writeAndFlush(message) : channel.write(message)).addListener(listener);
  }

  /**
   * On the event loop, once a frame is in the kernel: with epoll, {@code onWritten} waits until the
   * peer's kernel has acknowledged the bytes ({@link KernelAcks}); elsewhere it runs now.
   */
  private void written(Runnable onWritten) {
    if (kernelAcks == null) {
      if (!(channel instanceof EpollSocketChannel epoll)) {
        onWritten.run();
        return;
      }
      kernelAcks = new KernelAcks(epoll);
    }
    kernelAcks.written(onWritten);
  }

  /**
   * On the event loop: runs {@code then} once the peer has acknowledged everything written (the
   * held marks recorded), or after a moment with them left unrecorded; see {@link
   * KernelAcks#closeWhenAcknowledged}. The drain half-closes the connection only then.
   */
  void whenAcknowledged(Runnable then) {
    if (kernelAcks == null) {
      then.run();
    } else {
      kernelAcks.closeWhenAcknowledged(then);
    }
  }

  /** On the event loop: the peer closed its side with a FIN (see {@link KernelAcks#peerClosed}). */
  void peerClosed() {
    if (kernelAcks != null) {
      kernelAcks.peerClosed();
    }
  }

  /** On the event loop: the connection ended; held marks stay unrecorded. */
  void closed() {
    if (kernelAcks != null) {
      kernelAcks.closed();
    }
  }

  @Override
  public void flush() {
    channel.flush();
  }

  @Override
  public boolean isWritable() {
    return channel.isWritable();
  }

  @Override
  public void whenWritable(Duration timeout, Runnable onWritable, Runnable onStalled) {
    EventLoop loop = channel.eventLoop();
    if (!loop.inEventLoop()) {
      loop.execute(() -> whenWritable(timeout, onWritable, onStalled));
      return;
    }
    channel.flush();
    if (channel.isWritable()) {
      onWritable.run();
      return;
    }
    if (!channel.isActive()) {
      onStalled.run();
      return;
    }
    WritableWaiter w = new WritableWaiter(onWritable, onStalled);
    waiter = w;
    w.timeout = loop.schedule(() -> stalled(w), timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** The one pending {@link #whenWritable} call, if any. Event loop only. */
  private static final class WritableWaiter {
    final Runnable onWritable;
    final Runnable onStalled;
    ScheduledFuture<?> timeout;

    WritableWaiter(Runnable onWritable, Runnable onStalled) {
      this.onWritable = onWritable;
      this.onStalled = onStalled;
    }
  }

  private void stalled(WritableWaiter w) {
    if (waiter == w) {
      waiter = null;
      w.onStalled.run();
    }
  }

  /** Called on the event loop when writability changes or the channel closes. */
  void writabilityChanged() {
    WritableWaiter w = waiter;
    if (w == null) {
      return;
    }
    if (channel.isWritable()) {
      waiter = null;
      w.timeout.cancel(false);
      w.onWritable.run();
    } else if (!channel.isActive()) {
      waiter = null;
      w.timeout.cancel(false);
      w.onStalled.run();
    }
  }

  @Override
  public Executor executor() {
    return channel.eventLoop();
  }

  @Override
  public CompletableFuture<Void> close() {
    CompletableFuture<Void> closed = new CompletableFuture<>();
    channel.closeFuture().addListener(f -> closed.complete(null));
    try {
      channel
          .eventLoop()
          .execute(
              () -> {
                channel.flush();
                if (kernelAcks == null) {
                  channel.close();
                } else {
                  kernelAcks.closeWhenAcknowledged(channel::close);
                }
              });
    } catch (RejectedExecutionException e) {
      channel.close(); // the event loops are stopping
    }
    return closed;
  }

  @Override
  public boolean isOpen() {
    return channel.isActive();
  }

  @Override
  public String remoteAddress() {
    return remoteAddress;
  }

  private static String hostOf(SocketAddress a) {
    if (a instanceof InetSocketAddress i) {
      return i.getAddress() != null ? i.getAddress().getHostAddress() : i.getHostString();
    }
    return String.valueOf(a);
  }
}
