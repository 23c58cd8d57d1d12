package imps.server.transport;

import imps.protocol.message.ImpsMessage;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.group.ChannelGroup;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The graceful drain of {@link ServerTransport#drain} once the listeners are closed: every
 * connection stops reading, answers in order what it had read, gets the notice and closes; what is
 * left when the limit has passed is closed at once.
 */
final class ConnectionDrain {
  private ConnectionDrain() {}

  /**
   * Drains {@code channels} and waits until every session has signed out or {@code limit} has
   * passed (then closes the rest at once and waits for them to close).
   *
   * @return whether everything drained within the limit
   */
  static boolean drain(
      ChannelGroup channels, OpenSessions openSessions, ImpsMessage notice, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    for (Channel ch : channels) {
      ch.eventLoop()
          .execute(
              () -> {
                ChannelHandlerContext ctx = ch.pipeline().context(ConnectionHandler.class);
                if (ctx == null) {
                  ch.close(); // a web connection serving files, or one not yet upgraded
                } else {
                  ((ConnectionHandler) ctx.handler()).drain(ctx, notice);
                }
              });
    }
    boolean drained;
    try {
      drained = openSessions.awaitNone(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
      if (!drained) {
        channels.close().awaitUninterruptibly(10, TimeUnit.SECONDS);
        openSessions.awaitNone(Duration.ofSeconds(10));
      }
      channels.newCloseFuture().awaitUninterruptibly(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      drained = false;
    }
    return drained;
  }
}
