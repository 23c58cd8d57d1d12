package imps.server.transport;

import imps.protocol.ErrorCode;
import imps.protocol.Feature;
import imps.protocol.codec.DecodeError;
import imps.protocol.codec.FrameDecoder;
import imps.protocol.message.Ack;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.ImpsMessage;
import imps.server.delivery.DeliveryRecorder;
import imps.server.dispatch.RequestDispatcher;
import imps.server.session.RequestQueue;
import imps.server.session.Session;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a connection: hands each decoded request to the session's queue, answers
 * decode errors, closes idle and never-logged-in connections, and signs the user out when the
 * connection goes away. One instance per channel.
 *
 * <p>Timeouts: one timer per connection covers both the login timeout and the idle timeout (no
 * complete frame for that long), to keep idle connections cheap (docs/BENCHMARKS.md, "Memory per
 * connection"). Only whole frames count as activity, so a client trickling a frame a byte at a time
 * is still closed.
 *
 * <p>Back-pressure: when the requests waiting on a connection pass a budget (wire bytes, and a
 * count), reading stops and the frame decoder stops decoding, until the queue is down to half; a
 * flood therefore cannot grow memory beyond the budget plus one read.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(ConnectionHandler.class);

  private final RequestDispatcher dispatcher;
  private final DeliveryRecorder recorder;
  private final long loginTimeoutNanos;
  private final long idleTimeoutNanos;
  private final int maxViolations;
  private final int maxPending;
  private final long maxPendingBytes;

  private Session session;
  private NettyConnection connection;
  private int violations;
  private ScheduledFuture<?> timer;
  // Event-loop only: when the connection opened and when its last whole frame arrived.
  private long openedAt;
  private long lastFrameAt;
  private boolean paused;

  ConnectionHandler(
      RequestDispatcher dispatcher,
      DeliveryRecorder recorder,
      Duration loginTimeout,
      Duration idleTimeout,
      int maxViolations,
      int maxPending,
      long maxPendingBytes) {
    this.dispatcher = dispatcher;
    this.recorder = recorder;
    this.loginTimeoutNanos = loginTimeout.toNanos();
    this.idleTimeoutNanos = idleTimeout.toNanos();
    this.maxViolations = maxViolations;
    this.maxPending = maxPending;
    this.maxPendingBytes = maxPendingBytes;
  }

  NettyConnection connection() {
    return connection;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    connection = new NettyConnection(ctx.channel());
    session = new Session(connection, recorder, dispatcher::resync);
    session.onFriendRemoved(dispatcher::friendRemoved);
    session.requests().onDrained(() -> resumeIfDrained(ctx));
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    openedAt = System.nanoTime();
    lastFrameAt = openedAt;
    dispatcher.activity().connected(connection.remoteAddress());
    schedule(ctx, Math.min(loginTimeoutNanos, idleTimeoutNanos));
    ctx.fireChannelActive();
  }

  private void schedule(ChannelHandlerContext ctx, long delayNanos) {
    timer = ctx.executor().schedule(() -> checkTimeouts(ctx), delayNanos, TimeUnit.NANOSECONDS);
  }

  /** On the event loop: closes a connection past a deadline, or waits for the next one. */
  private void checkTimeouts(ChannelHandlerContext ctx) {
    if (!ctx.channel().isActive()) {
      return;
    }
    long now = System.nanoTime();
    long next = idleTimeoutNanos - (now - lastFrameAt);
    if (next <= 0) {
      log.debug("{} idle, closing", session);
      ctx.close();
      return;
    }
    if (!session.isLoggedIn()) {
      long loginLeft = loginTimeoutNanos - (now - openedAt);
      if (loginLeft <= 0) {
        log.debug("{} did not log in in time, closing", session);
        ctx.close();
        return;
      }
      next = Math.min(next, loginLeft);
    }
    schedule(ctx, next);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    lastFrameAt = System.nanoTime();
    if (msg instanceof ImpsMessage request) {
      if (!request.commandType().isClientToServer()) {
        decodeError(
            ctx,
            new DecodeError(
                DecodeError.Kind.UNKNOWN_COMMAND,
                request.commandType().value(),
                "server-to-client command sent by a client"));
        return;
      }
      if (request instanceof Ack ack && session.has(Feature.ACKS) && session.isLoggedIn()) {
        // Acknowledgements are no requests: no reply, no place in the queue.
        session.acknowledge(ack.seq());
        return;
      }
      RequestQueue queue = session.requests();
      queue.submit(RequestWeight.of(request), () -> dispatcher.handle(session, request));
      if (!paused && (queue.queuedBytes() > maxPendingBytes || queue.waiting() > maxPending)) {
        paused = true;
        ctx.channel().config().setAutoRead(false);
        ctx.pipeline().get(FrameDecoder.class).pause();
      }
    } else if (msg instanceof DecodeError error) {
      decodeError(ctx, error);
    }
  }

  /** On the event loop, after a request finished: reads again once the queue is down to half. */
  private void resumeIfDrained(ChannelHandlerContext ctx) {
    RequestQueue queue = session.requests();
    if (paused
        && queue.queuedBytes() <= maxPendingBytes / 2
        && queue.waiting() <= maxPending / 2
        && ctx.channel().isActive()) {
      paused = false;
      ctx.channel().config().setAutoRead(true);
      ctx.pipeline().get(FrameDecoder.class).resume(ctx.pipeline());
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    connection.writabilityChanged();
    ctx.fireChannelWritabilityChanged();
  }

  private void decodeError(ChannelHandlerContext ctx, DecodeError error) {
    log.debug("{}: {}", session, error);
    ErrorCode code =
        error.kind() == DecodeError.Kind.OVER_LIMIT
            ? ErrorCode.TOO_MANY_REQUESTS
            : ErrorCode.MALFORMED;
    ErrorResponse reply = new ErrorResponse(code, error.cmd());
    if (error.isFatal() || ++violations >= maxViolations) {
      // Reply in order after queued requests, then close.
      session
          .requests()
          .submit(
              0,
              () -> {
                ctx.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
                return CompletableFuture.completedFuture(null);
              });
      return;
    }
    session.requests().submit(0, () -> CompletableFuture.completedFuture(reply));
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent) {
      // The peer closed its side (ALLOW_HALF_CLOSURE): see what it acknowledged, then close ours.
      connection.peerClosed();
      ctx.close();
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    dispatcher
        .activity()
        .disconnected(connection.remoteAddress(), session.isLoggedIn() ? session.userName() : null);
    connection.closed();
    connection.writabilityChanged();
    if (timer != null) {
      timer.cancel(false);
    }
    session.requests().close();
    session.requests().submit(0, () -> dispatcher.connectionClosed(session));
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("{} failed: {}", session, cause.toString());
    ctx.close();
  }
}
