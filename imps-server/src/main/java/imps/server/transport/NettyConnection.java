package imps.server.transport;

import imps.protocol.codec.FrameDecoder;
import imps.protocol.message.ImpsMessage;
import imps.server.session.Connection;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 *
 * <p>How the server's side of the connection ends after a drain's notice ({@link #endOutput}) is
 * the transport's: chosen with the pipeline as an {@link OutputEnd}.
 */
final class NettyConnection implements Connection {
  private static final Logger log = LoggerFactory.getLogger(NettyConnection.class);

  /** How long a drained connection waits for the client to close before it is closed anyway. */
  private static final Duration LINGER = Duration.ofSeconds(2);

  /** How the output ends after a drain's notice; chosen when the pipeline is built. */
  enum OutputEnd {
    /**
     * TCP, plain or TLS: a FIN after the last frame (under TLS after a close_notify), then whatever
     * the client still sends is read and discarded until it closes too, or {@link #LINGER} has
     * passed.
     */
    HALF_CLOSE,
    /**
     * WebSocket: the close, which {@code web.ClosingHandshake} turns into the close frame first
     * (and on a plain socket the FIN after it; under TLS the close frame alone asks for the
     * client's).
     */
    CLOSE
  }

  // Fields are kept to the minimum: there is one of these per connection, up to 100,000 of them.
  private final Channel channel;
  private final ConnectionLimits limits;
  private final OutputEnd outputEnd;
  private volatile String remoteAddress;
  private WritableWaiter waiter; // event loop only
  // Set once a frame could not be written (too much waiting, or its write failed): no later one is.
  private volatile boolean overflowed;
  private KernelAcks kernelAcks; // event loop only; made on the first mark of an epoll connection

  /**
   * @param limits the bytes that may wait to be written before the connection is closed, and the
   *     budget of all connections together
   * @param outputEnd how the output ends after a drain's notice
   */
  NettyConnection(Channel channel, ConnectionLimits limits, OutputEnd outputEnd) {
    this.channel = channel;
    this.limits = limits;
    this.outputEnd = outputEnd;
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
      // A failure of a void promise reaches ConnectionHandler.exceptionCaught, which closes.
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
          } else {
            failed(f.cause());
          }
        };
    (flush ? channel.writeAndFlush(message) : channel.write(message)).addListener(listener);
  }

  /**
   * On the event loop: a frame's write failed. Netty goes on with the frames after it, so the
   * connection is closed before any of them is written (they are later in the event loop's queue):
   * a stored item written after a lost one would be recorded as delivered, and the next login's
   * backlog would bring the lost one after it, out of order. (Frames without a delivery mark go
   * with the void promise, whose failure closes the connection too.) A write that fails because the
   * connection broke closes it anyway; any other failure (the encoder's, say for want of direct
   * memory) is a fault of this server and is logged.
   */
  private void failed(Throwable cause) {
    if (overflowed) {
      return;
    }
    overflowed = true;
    if (channel.isActive() && !(cause instanceof IOException)) {
      log.warn("write to {} failed, closing it: {}", remoteAddress, cause.toString());
    }
    channel.close();
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
   * On the event loop, after a drain's notice: ends the output as the {@link OutputEnd} says. First
   * the delivery marks of what was written: once the server's FIN is out, the socket can no longer
   * tell what the peer acknowledged (and after the peer's FIN it is in state CLOSE, as after a
   * reset), so marks still held then would be dropped and the items come again. So this waits until
   * the peer has acknowledged everything written (the held marks recorded), or a moment with them
   * left unrecorded; see {@link KernelAcks#closeWhenAcknowledged}.
   */
  void endOutput() {
    if (kernelAcks == null) {
      endOutputNow();
    } else {
      kernelAcks.closeWhenAcknowledged(this::endOutputNow);
    }
  }

  /**
   * Half-closes a TCP connection and lingers: closing at once with unread input would make the
   * kernel reset the connection, and a reset can destroy the last replies and the notice before the
   * client has read them. A WebSocket half-closes after its close frame, never before it.
   */
  private void endOutputNow() {
    if (!channel.isActive()) {
      return;
    }
    if (outputEnd != OutputEnd.HALF_CLOSE || !(channel instanceof DuplexChannel duplex)) {
      close();
      return;
    }
    // Removing the decoder hands what it had buffered on as bytes, which the connection handler
    // discards (it is draining).
    FrameDecoder decoder = channel.pipeline().get(FrameDecoder.class);
    if (decoder != null) {
      channel.pipeline().remove(decoder);
    }
    SslHandler tls = channel.pipeline().get(SslHandler.class);
    if (tls == null) {
      duplex.shutdownOutput();
    } else {
      // TLS ends its stream with close_notify before the FIN: without it the client cannot tell
      // the end from a truncation (RFC 8446 section 6.1). TLS 1.3 lets the client go on sending.
      tls.closeOutbound().addListener(f -> duplex.shutdownOutput());
    }
    channel.config().setAutoRead(true);
    channel.eventLoop().schedule(this::close, LINGER.toNanos(), TimeUnit.NANOSECONDS);
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
