package imps.client.cli;

import imps.client.ImpsClient;
import imps.client.ImpsClientException;
import imps.client.Position;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The chat's location commands: {@code /share LAT,LON} sends one fix now; {@code /walk} sends a fix
 * every interval along a straight line from the last shared position (a simulated walk, for demos)
 * until {@code /stop}. It also remembers the user's own last shared position, from which friends'
 * positions are shown as distance and direction.
 */
final class LocationSharing implements AutoCloseable {
  static final double DEFAULT_SPEED_KMH = 5;
  static final double DEFAULT_BEARING = 90;

  private final ImpsClient client;
  private final ChatSession.Console console;
  private final Duration interval;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("imps-chat-walk", true));
  private volatile Position me;
  private ScheduledFuture<?> walk; // guarded by this
  private boolean walkFailing; // only touched by the timer thread

  /**
   * @param interval time between two fixes of a walk
   */
  LocationSharing(ImpsClient client, ChatSession.Console console, Duration interval) {
    this.client = client;
    this.console = console;
    this.interval = interval;
  }

  /** The user's own last shared position, or {@code null}. */
  Position me() {
    return me;
  }

  /**
   * After a login: takes the user's last position stored by the server ({@link OwnPosition}) as the
   * own position, unless one was shared in this session. Failing to learn it only leaves distances
   * out.
   */
  void learnLastShared() {
    if (me != null) {
      return;
    }
    try {
      me = OwnPosition.lastShared(client); // on the command thread, like /share
    } catch (CompletionException e) {
      // no distances until the user shares a position
    }
  }

  /**
   * {@code /share LAT,LON}.
   *
   * @throws CompletionException when the server refuses it
   */
  void share(String text) {
    Position p;
    try {
      p = Position.parse(text);
    } catch (IllegalArgumentException e) {
      console.print("usage: /share LAT,LON  e.g. /share 23.13,113.26 (" + e.getMessage() + ")");
      return;
    }
    client.shareLocation(p).join();
    me = p;
    console.print("shared your position " + p + " with your friends");
  }

  /** {@code /walk [KMH [BEARING]]}. */
  synchronized void walk(String args) {
    double speed = DEFAULT_SPEED_KMH;
    double bearing = DEFAULT_BEARING;
    try {
      String[] words = args == null ? new String[0] : args.strip().split("\\s+");
      if (words.length > 0 && !words[0].isEmpty()) {
        speed = Double.parseDouble(words[0]);
      }
      if (words.length > 1) {
        bearing = Double.parseDouble(words[1]);
      }
      if (!(speed > 0 && speed <= 1000) || !(bearing >= 0 && bearing < 360) || words.length > 2) {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      console.print("usage: /walk [KMH [BEARING]]  speed 0-1000 km/h, bearing 0-359 degrees");
      return;
    }
    Position start = me;
    if (start == null) {
      console.print("error: share a starting position first: /share LAT,LON");
      return;
    }
    stopWalk();
    double stepMetres = speed / 3.6 * interval.toMillis() / 1000.0;
    double heading = bearing;
    long every = interval.toMillis();
    walkFailing = false;
    walk =
        timer.scheduleAtFixedRate(
            () -> step(stepMetres, heading), every, every, TimeUnit.MILLISECONDS);
    console.print(
        String.format(
            Locale.ROOT,
            "walking from %s at %s km/h, bearing %s degrees: a fix every %s s (/stop to end)",
            start,
            trim(speed),
            trim(bearing),
            trim(every / 1000.0)));
  }

  /** {@code /stop}. */
  synchronized void stop() {
    if (stopWalk()) {
      console.print("stopped walking at " + me);
    } else {
      console.print("not walking (start with /walk)");
    }
  }

  private boolean stopWalk() {
    if (walk == null) {
      return false;
    }
    walk.cancel(false);
    walk = null;
    return true;
  }

  private void step(double metres, double bearing) {
    Position next = Geo.move(me, metres, bearing);
    try {
      client.shareLocation(next).join();
      me = next;
      walkFailing = false;
    } catch (CompletionException e) {
      if (!walkFailing) {
        ImpsClientException ie = ImpsClientException.unwrap(e);
        console.print(
            "error: the walk could not share a position: "
                + (ie != null ? Messages.describe(ie, null) : e.getMessage())
                + " (it keeps trying; /stop to end)");
      }
      walkFailing = true;
    }
  }

  private static String trim(double d) {
    return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
