package imps.client;

import imps.client.ConnectionState.LoggedIn;
import imps.protocol.message.HeartbeatRequest;
import io.netty.channel.Channel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Automatic heartbeats while logged in: an empty {@code C_HEARTBEAT_REQ} every interval keeps the
 * server's idle timeout from closing a quiet session. A heartbeat left unanswered within the
 * request timeout means the connection is dead even if TCP has not noticed: it is closed, which
 * leads to reconnection when that is enabled. All methods run on the I/O thread.
 */
final class Heartbeats {
  private static final Logger log = LoggerFactory.getLogger(Heartbeats.class);

  private final ClientConnection connection;
  private final Duration interval;
  private final Supplier<String> userName;
  private ScheduledFuture<?> task;

  /**
   * @param interval {@link Duration#ZERO} disables heartbeats
   * @param userName the name the heartbeat carries
   */
  Heartbeats(ClientConnection connection, Duration interval, Supplier<String> userName) {
    this.connection = connection;
    this.interval = interval;
    this.userName = userName;
  }

  /** (Re)starts the beat; the first one follows after one interval. */
  void start() {
    stop();
    if (interval.isZero()) {
      return;
    }
    task = connection.schedule(this::beatAndReschedule, interval);
  }

  void stop() {
    if (task != null) {
      task.cancel(false);
      task = null;
    }
  }

  private void beatAndReschedule() {
    task = connection.schedule(this::beatAndReschedule, interval);
    if (!(connection.state() instanceof LoggedIn loggedIn)) {
      return;
    }
    Channel ch = loggedIn.channel();
    connection
        .request(new HeartbeatRequest(userName.get(), List.of()))
        .whenComplete(
            (reply, err) -> {
              if (err instanceof ImpsTimeoutException) {
                log.info("heartbeat unanswered; closing the connection");
                ch.close();
              }
            });
  }
}
