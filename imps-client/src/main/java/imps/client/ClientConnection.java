package imps.client;

import imps.client.ConnectionState.Closed;
import imps.client.ConnectionState.Connected;
import imps.client.ConnectionState.Disconnected;
import imps.client.ConnectionState.Reconnecting;
import imps.protocol.Limits;
import imps.protocol.codec.DecodeError;
import imps.protocol.codec.FrameEncoder;
import imps.protocol.message.ImpsMessage;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's connection: the Netty channel, the {@link Correlator} that matches replies to
 * requests, reply timeouts, and the {@link ConnectionState}. It knows nothing of logins: the
 * session reacts through {@link #bind} and per-request reply hooks.
 *
 * <p>Threads: one Netty I/O thread owns the channel, the correlator and every state change; one
 * event thread completes futures and runs the listener, in the order frames arrived ({@link
 * #dispatch}). Methods say which thread they expect; the others may be called from any thread.
 */
final class ClientConnection {
  private static final Logger log = LoggerFactory.getLogger(ClientConnection.class);
  private static final AtomicInteger IDS = new AtomicInteger();

  /**
   * What the session does when the channel of state {@code was} closed (I/O thread; pending
   * requests have failed): it must move the state on, to {@link Disconnected} or {@link
   * Reconnecting}.
   */
  interface ClosedHandler {
    void onChannelClosed(ConnectionState was, Throwable cause);
  }

  private final ClientOptions options;
  private final EventLoopGroup group;
  private final EventLoop loop;
  private final ExecutorService events;
  private final ChannelOpener opener;
  private final Correlator correlator = new Correlator();
  private volatile ConnectionState state = new Disconnected();
  private Consumer<ImpsMessage> pushes;
  private ClosedHandler closedHandler;

  ClientConnection(ClientOptions options) {
    this.options = options;
    SslContext tls = options.tls().enabled() ? ClientTlsContexts.build(options.tls()) : null;
    int id = IDS.incrementAndGet();
    this.group =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("imps-client-io-" + id, true), NioIoHandler.newFactory());
    this.loop = group.next();
    this.events =
        Executors.newSingleThreadExecutor(
            new DefaultThreadFactory("imps-client-events-" + id, true));
    this.opener = new ChannelOpener(options, tls, loop, InboundHandler::new);
  }

  /**
   * Sets what the session does; once, before any use.
   *
   * @param pushes receives frames that are not replies, on the I/O thread
   */
  void bind(Consumer<ImpsMessage> pushes, ClosedHandler closedHandler) {
    this.pushes = pushes;
    this.closedHandler = closedHandler;
  }

  ConnectionState state() {
    return state;
  }

  /** I/O thread: replaces the state. */
  void moveTo(ConnectionState next) {
    log.debug("{} -> {}", state, next);
    state = next;
  }

  /** Whether the caller runs on the I/O thread. */
  boolean inLoop() {
    return loop.inEventLoop();
  }

  /** Runs {@code task} on the I/O thread; dropped when the client is closed. */
  void execute(Runnable task) {
    try {
      loop.execute(task);
    } catch (RejectedExecutionException e) {
      log.debug("client closed; task dropped");
    }
  }

  /** Runs {@code task} on the I/O thread; {@code false} when the client is closed (not run). */
  boolean tryExecute(Runnable task) {
    try {
      loop.execute(task);
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  /** Runs {@code task} on the I/O thread after {@code delay}. */
  ScheduledFuture<?> schedule(Runnable task, Duration delay) {
    return loop.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Opens the connection from {@link Disconnected}. Completes when connected, or fails with {@link
   * ImpsConnectionException}; completes at once when already connected.
   */
  CompletableFuture<Void> connect() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      loop.execute(
          () -> {
            ConnectionState s = state;
            if (s instanceof Closed) {
              fail(done, new ImpsConnectionException("client closed", null));
            } else if (s.channel() != null && s.channel().isActive()) {
              dispatch(() -> done.complete(null));
            } else if (s instanceof Reconnecting) {
              fail(done, new ImpsConnectionException("not connected; reconnecting", null));
            } else {
              open(done, Connected::new);
            }
          });
    } catch (RejectedExecutionException e) {
      done.completeExceptionally(new ImpsConnectionException("client closed", e));
    }
    return done;
  }

  /**
   * I/O thread: opens a channel; once connected, the state becomes {@code connectedState(channel)}
   * unless the client was closed meanwhile. {@code done} completes on the event thread.
   */
  void open(CompletableFuture<Void> done, Function<Channel, ConnectionState> connectedState) {
    opener.open(
        (ch, failure) -> {
          if (failure != null) {
            fail(done, failure);
          } else {
            connected(ch, done, connectedState);
          }
        });
  }

  /** I/O thread: the channel is open (and its TLS handshake done): the connection is usable. */
  private void connected(
      Channel ch, CompletableFuture<Void> done, Function<Channel, ConnectionState> connectedState) {
    if (state instanceof Closed) {
      ch.close();
      fail(done, new ImpsConnectionException("client closed", null));
      return;
    }
    moveTo(connectedState.apply(ch));
    dispatch(() -> done.complete(null));
  }

  /** Sends {@code req}; the future completes with its reply on the event thread. */
  CompletableFuture<ImpsMessage> request(ImpsMessage req) {
    return request(req, () -> {}, reply -> {});
  }

  /**
   * Sends {@code req}.
   *
   * @param beforeSend runs on the I/O thread just before the request is sent
   * @param onReply runs on the I/O thread when the reply arrives, before the future completes
   */
  CompletableFuture<ImpsMessage> request(
      ImpsMessage req, Runnable beforeSend, Consumer<ImpsMessage> onReply) {
    CompletableFuture<ImpsMessage> raw = new CompletableFuture<>();
    try {
      loop.execute(
          () -> {
            beforeSend.run();
            send(new Pending(req, raw, onReply));
          });
    } catch (RejectedExecutionException e) {
      raw.completeExceptionally(new ImpsConnectionException("client closed", e));
    }
    return raw;
  }

  private void send(Pending p) {
    ConnectionState s = state;
    Channel ch = s.channel();
    if (ch == null || !ch.isActive()) {
      fail(p.future(), new ImpsConnectionException(notConnected(s), null));
      return;
    }
    // Encode here rather than in the pipeline: a frame that cannot be built (too large) must fail
    // this request only, before it takes a place in the reply FIFO.
    ByteBuf frame;
    try {
      frame = FrameEncoder.encode(p.request(), ch.alloc());
    } catch (EncoderException e) {
      fail(
          p.future(),
          new ImpsInvalidRequestException(
              "the request is larger than one frame carries ("
                  + Limits.MAX_CONTENT_LENGTH
                  + " bytes)",
              Limits.MAX_CONTENT_LENGTH));
      return;
    }
    correlator.add(p);
    p.timeoutTask = schedule(() -> onTimeout(p), options.requestTimeout());
    ch.writeAndFlush(frame)
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                log.debug("write failed, closing", f.cause());
                ch.close();
              }
            });
  }

  /**
   * I/O thread: writes {@code m}, a command that gets no reply ({@code C_ACK}), on {@code ch} if it
   * is still the current channel; it takes no place in the reply FIFO.
   */
  void sendOneWay(Channel ch, ImpsMessage m) {
    if (ch == null || ch != state.channel() || !ch.isActive()) {
      return;
    }
    ch.writeAndFlush(FrameEncoder.encode(m, ch.alloc()))
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                log.debug("write failed, closing", f.cause());
                ch.close();
              }
            });
  }

  private static String notConnected(ConnectionState s) {
    if (s instanceof Closed) {
      return "client closed";
    }
    return s instanceof Reconnecting ? "not connected; reconnecting" : "not connected";
  }

  private void onTimeout(Pending p) {
    if (p.settle()) {
      fail(
          p.future(),
          new ImpsTimeoutException(p.request().commandType().name(), options.requestTimeout()));
    }
  }

  private void onFrame(Channel ch, Object frame) {
    if (ch != state.channel()) {
      return;
    }
    if (frame instanceof DecodeError err) {
      if (err.kind() == DecodeError.Kind.UNKNOWN_COMMAND) {
        // A newer server's extension; nothing this client understands or waits for.
        log.debug("ignoring unknown command {}", err.cmd());
        return;
      }
      log.warn("malformed frame from server ({}); closing", err.reason());
      ch.close();
      return;
    }
    ImpsMessage m = (ImpsMessage) frame;
    Correlator.Route route = correlator.route(m);
    switch (route.kind()) {
      case REPLY -> onReply(route.pending(), m);
      case PUSH -> pushes.accept(m);
      case DROP -> log.debug("dropping {}: {}", m, route.why());
      case VIOLATION -> {
        log.warn("protocol out of step: {}; closing", route.why());
        ch.close();
      }
    }
  }

  private void onReply(Pending p, ImpsMessage reply) {
    boolean first = p.settle();
    p.onReply().accept(reply);
    if (!first) {
      log.debug("late reply {} to timed-out {}", reply, p.request());
      return;
    }
    CompletableFuture<ImpsMessage> f = p.future();
    dispatch(() -> f.complete(reply));
  }

  private void onInactive(Channel ch, Throwable cause) {
    ConnectionState was = state;
    if (ch != was.channel()) {
      return;
    }
    failPending("connection closed");
    closedHandler.onChannelClosed(was, cause);
  }

  /**
   * I/O thread: leaves the current channel for good: moves to {@code next}, fails what is pending
   * and closes the channel (whose close is then stale and ignored).
   */
  void abandon(ConnectionState next, String why) {
    Channel ch = state.channel();
    moveTo(next);
    failPending(why);
    if (ch != null) {
      ch.close();
    }
  }

  /** Closes the connection and the threads; pending futures fail. Idempotent; terminal. */
  void close() {
    if (!loop.isShuttingDown()) {
      loop.submit(() -> abandon(new Closed(), "client closed"))
          .awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
    // The event thread finishes what is queued (failed futures) and then ends.
    events.shutdown();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
  }

  private void failPending(String why) {
    for (Pending p : correlator.drain()) {
      if (p.settle()) {
        fail(p.future(), new ImpsConnectionException(why, null));
      }
    }
  }

  private void fail(CompletableFuture<?> f, Throwable t) {
    dispatch(() -> f.completeExceptionally(t));
  }

  /** Runs {@code r} on the event thread; if that has ended (closed), runs it here. */
  void dispatch(Runnable r) {
    Runnable safe =
        () -> {
          try {
            r.run();
          } catch (RuntimeException e) {
            log.warn("listener or callback failed", e);
          }
        };
    try {
      events.execute(safe);
    } catch (RejectedExecutionException e) {
      safe.run();
    }
  }

  /** The last step of the pipeline: frames in, closes out. */
  private final class InboundHandler extends ChannelInboundHandlerAdapter {
    private Throwable cause;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      onFrame(ctx.channel(), msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable t) {
      cause = t;
      log.debug("connection error", t);
      ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      onInactive(ctx.channel(), cause);
    }
  }
}
