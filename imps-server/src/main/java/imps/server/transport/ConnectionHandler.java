package imps.server.transport;

import imps.protocol.ErrorCode;
import imps.protocol.codec.DecodeError;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.ImpsMessage;
import imps.server.delivery.DeliveryRecorder;
import imps.server.dispatch.RequestDispatcher;
import imps.server.session.Session;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.Executor;
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
 * <p>Back-pressure: when a client sends faster than its requests are processed, reading stops until
 * the queue has drained, so a flood cannot grow memory without bound.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(ConnectionHandler.class);

  private final RequestDispatcher dispatcher;
  private final Executor workers;
  private final DeliveryRecorder recorder;
  private final long loginTimeoutNanos;
  private final long idleTimeoutNanos;
  private final int maxViolations;
  private final int maxPending;

  private Session session;
  private NettyConnection connection;
  private int violations;
  private ScheduledFuture<?> timer;
  // Event-loop only: when the connection opened and when its last whole frame arrived.
  private long openedAt;
  private long lastFrameAt;
  // Set on the event loop before reading is paused; read by workers to know a resume is wanted.
  private volatile boolean paused;

  ConnectionHandler(
      RequestDispatcher dispatcher,
      Executor workers,
      DeliveryRecorder recorder,
      Duration loginTimeout,
      Duration idleTimeout,
      int maxViolations,
      int maxPending) {
    this.dispatcher = dispatcher;
    this.workers = workers;
    this.recorder = recorder;
    this.loginTimeoutNanos = loginTimeout.toNanos();
    this.idleTimeoutNanos = idleTimeout.toNanos();
    this.maxViolations = maxViolations;
    this.maxPending = maxPending;
  }

  NettyConnection connection() {
    return connection;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    connection = new NettyConnection(ctx.channel());
    session = new Session(connection, workers, recorder, dispatcher::resync);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    openedAt = System.nanoTime();
    lastFrameAt = openedAt;
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
      session.requests().execute(() -> process(ctx, request));
      if (session.requests().pending() > maxPending) {
        paused = true;
        ctx.channel().config().setAutoRead(false);
        // The queue may have drained between the check and the pause.
        resumeIfDrained(ctx);
      }
    } else if (msg instanceof DecodeError error) {
      decodeError(ctx, error);
    }
  }

  private void process(ChannelHandlerContext ctx, ImpsMessage request) {
    dispatcher.handle(session, request);
    if (paused && session.requests().pending() <= maxPending / 2) {
      ctx.executor().execute(() -> resumeIfDrained(ctx));
    }
  }

  /** On the event loop: reads again once the queue is down to half. */
  private void resumeIfDrained(ChannelHandlerContext ctx) {
    if (paused && session.requests().pending() <= maxPending / 2) {
      paused = false;
      ctx.channel().config().setAutoRead(true);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    connection.writabilityChanged();
    ctx.fireChannelWritabilityChanged();
  }

  private void decodeError(ChannelHandlerContext ctx, DecodeError error) {
    log.debug("{}: {}", session, error);
    ErrorResponse reply = new ErrorResponse(ErrorCode.MALFORMED, error.cmd());
    if (error.isFatal() || ++violations >= maxViolations) {
      // Reply in order after queued requests, then close.
      session
          .requests()
          .execute(() -> ctx.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE));
      return;
    }
    session.requests().execute(() -> session.connection().send(reply));
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    connection.writabilityChanged();
    if (timer != null) {
      timer.cancel(false);
    }
    session.requests().execute(() -> dispatcher.connectionClosed(session));
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("{} failed: {}", session, cause.toString());
    ctx.close();
  }
}
