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
import imps.server.limit.LimitHits;
import imps.server.session.RequestQueue;
import imps.server.session.Session;
import io.micrometer.core.instrument.Counter;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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
 *
 * <p>Drain ({@link #drain}, a graceful shutdown): reading and decoding stop for good, the requests
 * already read are answered in order, then the unsolicited notice is written and the output ended
 * as the transport ends it ({@link NettyConnection.OutputEnd}).
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(ConnectionHandler.class);
  // What a refused request weighs in the queue: its reply (an S_ERROR_RSP) and the task.
  private static final int REFUSAL_WEIGHT = 64;

  private final RequestDispatcher dispatcher;
  private final DeliveryRecorder recorder;
  private final long loginTimeoutNanos;
  private final long idleTimeoutNanos;
  private final int maxViolations;
  private final int maxPending;
  private final long maxPendingBytes;
  private final ConnectionLimits limits;
  private final OpenSessions openSessions;
  private final NettyConnection.OutputEnd outputEnd;

  private Session session;
  private NettyConnection connection;
  private int violations;
  private ScheduledFuture<?> timer;
  // Event-loop only: when the connection opened and when its last whole frame arrived.
  private long openedAt;
  private long lastFrameAt;
  private volatile Instant connectedAt;
  private boolean paused;
  private final RequestAllowance requests;
  private static final Counter REQUEST_LIMIT_HITS = LimitHits.of("requests");
  // This connection's place under its address's limits until it logs in; null when none.
  private AddressLimits.Slot addressSlot;
  private boolean draining;

  ConnectionHandler(
      RequestDispatcher dispatcher,
      DeliveryRecorder recorder,
      Duration loginTimeout,
      Duration idleTimeout,
      int maxViolations,
      int maxPending,
      long maxPendingBytes,
      ConnectionLimits limits,
      OpenSessions openSessions,
      NettyConnection.OutputEnd outputEnd) {
    this.dispatcher = dispatcher;
    this.recorder = recorder;
    this.loginTimeoutNanos = loginTimeout.toNanos();
    this.idleTimeoutNanos = idleTimeout.toNanos();
    this.maxViolations = maxViolations;
    this.maxPending = maxPending;
    this.maxPendingBytes = maxPendingBytes;
    this.limits = limits;
    this.requests = new RequestAllowance(limits.requests()::get);
    this.openSessions = openSessions;
    this.outputEnd = outputEnd;
  }

  NettyConnection connection() {
    return connection;
  }

  Session session() {
    return session;
  }

  /** When the connection opened (wall clock), or null before. */
  Instant connectedAt() {
    return connectedAt;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    connection = new NettyConnection(ctx.channel(), limits, outputEnd);
    session = new Session(connection, recorder, dispatcher::resync, dispatcher.messageCounts());
    session.onFriendRemoved(dispatcher::friendRemoved);
    session.requests().onDrained(() -> resumeIfDrained(ctx));
    openSessions.opened();
  }

  /**
   * On the event loop: stops reading and decoding for good, and queues behind the requests already
   * read the {@code notice} and the end of the output ({@link NettyConnection#endOutput}), so that
   * each of them is answered first.
   */
  void drain(ChannelHandlerContext ctx, ImpsMessage notice) {
    if (draining) {
      return;
    }
    draining = true;
    paused = true;
    ctx.channel().config().setAutoRead(false);
    ctx.pipeline().get(FrameDecoder.class).pause();
    if (!ctx.channel().isActive()) {
      return;
    }
    session
        .requests()
        .submit(
            0,
            () -> {
              ctx.channel().writeAndFlush(notice).addListener(f -> connection.endOutput());
              return CompletableFuture.completedFuture(null);
            });
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    openedAt = System.nanoTime();
    connectedAt = Instant.now();
    lastFrameAt = openedAt;
    dispatcher.activity().connected(connection.remoteAddress());
    schedule(ctx, Math.min(loginTimeoutNanos, idleTimeoutNanos));
    if (ctx.pipeline().get(ProxyAddressHandler.class) == null) {
      admitAddress(ctx.channel());
    } // else the PROXY header names the client: ProxyAddressHandler admits it then
    ctx.fireChannelActive();
  }

  /**
   * Counts the connection under its client address's limits (new connections, connections not
   * logged in); closes it when over. On the event loop, once the client's address is known.
   */
  void admitAddress(Channel ch) {
    AddressLimits.Slot slot = limits.addresses().admit(connection.remoteAddress());
    if (slot == null) {
      ch.close();
    } else {
      addressSlot = slot;
    }
  }

  /** The connection logged in or closed: it leaves its address's count of unauthenticated ones. */
  private void releaseAddress() {
    if (addressSlot != null) {
      addressSlot.release();
      addressSlot = null;
    }
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
    if (draining) {
      // Decoded before the drain paused the decoder, or bytes after it: never read, no reply owed.
      ReferenceCountUtil.release(msg);
      return;
    }
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
      if (requests.take()) {
        queue.submit(RequestWeight.of(request), () -> dispatcher.handle(session, request));
      } else {
        REQUEST_LIMIT_HITS.increment();
        // Over limit.requests: answered in order, nothing done. Counted like a request, so that a
        // flood of refusals pauses reading as well.
        ErrorResponse refusal =
            ErrorResponse.of(ErrorCode.TOO_MANY_REQUESTS, request.commandType());
        queue.submit(REFUSAL_WEIGHT, () -> CompletableFuture.completedFuture(refusal));
      }
      pauseIfFull(ctx, queue);
    } else if (msg instanceof DecodeError error) {
      decodeError(ctx, error);
    }
  }

  /** Stops reading (and decoding) while the queued requests are past their count or bytes. */
  private void pauseIfFull(ChannelHandlerContext ctx, RequestQueue queue) {
    if (!paused && (queue.queuedBytes() > maxPendingBytes || queue.waiting() > maxPending)) {
      paused = true;
      ctx.channel().config().setAutoRead(false);
      ctx.pipeline().get(FrameDecoder.class).pause();
    }
  }

  /** On the event loop, after a request finished: reads again once the queue is down to half. */
  private void resumeIfDrained(ChannelHandlerContext ctx) {
    if (addressSlot != null && session.isLoggedIn()) {
      releaseAddress();
    }
    RequestQueue queue = session.requests();
    if (paused
        && !draining
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
    if (!ctx.channel().isWritable()) {
      limits.output().grew();
    }
    connection.writabilityChanged();
    ctx.fireChannelWritabilityChanged();
  }

  private void decodeError(ChannelHandlerContext ctx, DecodeError error) {
    log.debug("{}: {}", session, error);
    if (error.kind() == DecodeError.Kind.OVER_LIMIT && !error.isFatal()) {
      // A request past a limit (more fixes than max-fixes-per-heartbeat), not a malformed frame:
      // error 10 in its turn and nothing else, no violation (decision 43). It counts as a request
      // of the connection, so a stream of them is paced like any other.
      requests.take();
      RequestQueue queue = session.requests();
      ErrorResponse refusal = new ErrorResponse(ErrorCode.TOO_MANY_REQUESTS, error.cmd());
      queue.submit(REFUSAL_WEIGHT, () -> CompletableFuture.completedFuture(refusal));
      pauseIfFull(ctx, queue);
      return;
    }
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
    releaseAddress();
    connection.closed();
    connection.writabilityChanged();
    if (timer != null) {
      timer.cancel(false);
    }
    session.requests().close();
    session
        .requests()
        .submit(
            0,
            () -> {
              CompletionStage<ImpsMessage> signOut;
              try {
                signOut = dispatcher.connectionClosed(session);
              } catch (RuntimeException e) {
                openSessions.ended();
                throw e;
              }
              return signOut.whenComplete((r, e) -> openSessions.ended());
            });
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("{} failed: {}", session, cause.toString());
    ctx.close();
  }
}
