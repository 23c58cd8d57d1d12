package imps.web;

import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.CommandType;
import imps.protocol.ErrorCode;
import imps.protocol.Feature;
import imps.protocol.Gender;
import imps.protocol.Presence;
import imps.protocol.message.AddFriendAnswer;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.FriendRequestPush;
import imps.protocol.message.HeartbeatRequest;
import imps.protocol.message.HeartbeatResponse;
import imps.protocol.message.Hello;
import imps.protocol.message.HelloResponse;
import imps.protocol.message.LiveLocationsRequest;
import imps.protocol.message.LocationFix;
import imps.protocol.message.LocationPush;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.LoginResponse;
import imps.protocol.message.RegisterRequest;
import imps.protocol.message.RegisterResponse;
import imps.protocol.message.StatusNotifyPush;
import imps.protocol.message.StatusNotifyRequest;
import imps.server.config.ServerConfig;
import imps.testsupport.FrameClient;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Friends' positions pushed live (LIVE_LOCATIONS, PROTOCOL.md 8.6): the web client asks for
 * S_LOCATION pushes at login and moves a friend's marker when the friend's heartbeat brings a new
 * fix, without reloading and without asking for the friend list again; an invisible friend's fixes
 * move nothing; my own position from the browser's geolocation is pushed to a friend. The server
 * coalesces pushes per {@code location.live-interval}, set short here so that a test does not wait
 * five seconds per fix.
 */
class LiveMapIT {
  private static final AtomicInteger NAMES = new AtomicInteger();
  private static final int C_FRIENDLIST_REFURBISH_REQ = 5;
  private static WebServer server;

  @BeforeAll
  static void startServer() throws Exception {
    Chromium.require();
    server =
        WebServer.start(
            b -> b.with(ServerConfig.Key.LOCATION_LIVE_INTERVAL, Duration.ofMillis(200)));
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  /** A TCP user who is {@code browserUser}'s friend, logged in with {@code features}. */
  private static FrameClient friendOverTcp(
      WebApp app, String browserUser, String name, Set<Feature> features) throws Exception {
    FrameClient tcp = FrameClient.connect(server.tcpPort());
    tcp.send(new RegisterRequest(name, WebServer.PASSWORD, Gender.MALE, ""));
    tcp.expect(new RegisterResponse(true));
    if (!features.isEmpty()) {
      tcp.send(new Hello(1, features));
      tcp.expect(HelloResponse.class);
    }
    tcp.send(new LoginRequest(name, WebServer.PASSWORD));
    tcp.expect(LoginResponse.class);
    app.addFriend(name);
    tcp.awaitMatching(FriendRequestPush.class, p -> p.friendName().equals(browserUser));
    tcp.send(new AddFriendAnswer(browserUser, true));
    awaitSuccess(tcp, CommandType.C_ADDFRIEND_RSP);
    app.awaitFriendStatus(name, "online");
    return tcp;
  }

  /** Waits for {@code S_ERROR_RSP(0, cmd)}: the request {@code cmd} succeeded. */
  private static void awaitSuccess(FrameClient tcp, CommandType cmd) throws Exception {
    tcp.awaitMatching(ErrorResponse.class, e -> e.equals(ErrorResponse.of(ErrorCode.SUCCESS, cmd)));
  }

  /** Asks for friends' live positions ({@code C_LIVE_LOCATIONS}) on {@code tcp}. */
  private static void askForLivePositions(FrameClient tcp) throws Exception {
    tcp.send(new LiveLocationsRequest(true));
    awaitSuccess(tcp, CommandType.C_LIVE_LOCATIONS);
  }

  /** The browser is at {@code lat,lon}, and the user shares it from the map. */
  private static void shareBrowserPosition(WebApp app, double lat, double lon) {
    Chromium.setPosition(app.driver, app.origin(), lat, lon);
    app.find("#share-location").click();
  }

  /** The location in the next {@code S_LOCATION} about {@code user} that reaches {@code tcp}. */
  private static String nextLocationOf(FrameClient tcp, String user) throws Exception {
    return tcp.awaitMatching(LocationPush.class, p -> p.friendName().equals(user), WebApp.WAIT)
        .location();
  }

  /** Waits until {@code tcp} is told that {@code user}'s status is now {@code status}. */
  private static void awaitStatusOf(FrameClient tcp, String user, Presence status)
      throws Exception {
    tcp.awaitMatching(
        StatusNotifyPush.class,
        p -> p.userName().equals(user) && p.status() == status,
        WebApp.WAIT);
  }

  /**
   * Waits until the page sends a new position at once again: 10 s after the last one it sent, at
   * {@code sentNanos} (geo.js), and a margin.
   */
  private static void untilAPositionIsSentAtOnce(long sentNanos) throws InterruptedException {
    pause(Math.max(0, 10_500 - Duration.ofNanos(System.nanoTime() - sentNanos).toMillis()));
  }

  private static void heartbeat(FrameClient tcp, String user, String location) throws Exception {
    tcp.send(
        new HeartbeatRequest(
            user, List.of(new LocationFix(String.valueOf(System.currentTimeMillis()), location))));
    tcp.awaitMatching(HeartbeatResponse.class, r -> true);
  }

  /**
   * From now on the page records the command type of every frame it sends (read with {@link
   * #sentTypes}). The socket's send is looked up on the prototype at each call, so this also covers
   * the connection that is open already.
   */
  private static void recordSentFrames(WebApp app) {
    app.driver.executeScript(
        "window.__sent = [];"
            + "const send = WebSocket.prototype.send;"
            + "WebSocket.prototype.send = function (data) {"
            + "  const bytes = data instanceof ArrayBuffer ? new Uint8Array(data)"
            + "      : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);"
            + "  window.__sent.push(bytes[4]);"
            + "  return send.call(this, data);"
            + "};");
  }

  @SuppressWarnings("unchecked")
  private static List<Long> sentTypes(WebApp app) {
    return (List<Long>) app.driver.executeScript("return window.__sent");
  }

  private static void pause(long millis) throws InterruptedException {
    Thread.sleep(millis);
  }

  @Test
  void aFriendsMarkerMovesWithEachPushedFixAndNothingIsPolled() throws Exception {
    String me = "看" + NAMES.incrementAndGet();
    String walker = "walker" + NAMES.incrementAndGet();
    try (WebApp app = WebApp.open(server)) {
      app.register(me);
      try (FrameClient tcp = friendOverTcp(app, me, walker, Set.of())) {
        recordSentFrames(app);
        long start = System.nanoTime();
        heartbeat(tcp, walker, "23.129163,113.264435");
        app.awaitMarker(walker, 23.129163, 113.264435);
        heartbeat(tcp, walker, "23.135000,113.270000");
        app.awaitMarker(walker, 23.135, 113.27);
        heartbeat(tcp, walker, "23.140000,113.280000");
        app.awaitMarker(walker, 23.14, 113.28);
        app.screenshot("live-map");

        // An invisible friend shows offline, and their fixes reach no one: the marker stays.
        tcp.send(new StatusNotifyRequest(walker, Presence.INVISIBLE));
        app.awaitMarkerOnline(walker, false);
        heartbeat(tcp, walker, "24.000000,114.000000");
        pause(1500);
        assertThat(app.marker(walker)).containsExactly(23.14, 113.28);
        // Visible again: the next fix moves it.
        tcp.send(new StatusNotifyRequest(walker, Presence.ONLINE));
        app.awaitFriendStatus(walker, "online");
        heartbeat(tcp, walker, "24.100000,114.100000");
        app.awaitMarker(walker, 24.1, 114.1);

        // Longer than the old poll of the friend list (every 5 s while the map shows): in all this
        // time the page never asked for the list, every move was pushed.
        long waited = Duration.ofNanos(System.nanoTime() - start).toMillis();
        if (waited < 6000) {
          pause(6000 - waited);
        }
        assertThat(sentTypes(app)).doesNotContain((long) C_FRIENDLIST_REFURBISH_REQ);
        assertThat(app.consoleProblems()).isEmpty();
      }
    }
  }

  @Test
  void afterAReloadTheMarkerStillMovesLive() throws Exception {
    String me = "重" + NAMES.incrementAndGet();
    String walker = "runner" + NAMES.incrementAndGet();
    try (WebApp app = WebApp.open(server)) {
      app.register(me);
      try (FrameClient tcp = friendOverTcp(app, me, walker, Set.of())) {
        heartbeat(tcp, walker, "31.230416,121.473701");
        app.awaitMarker(walker, 31.230416, 121.473701);
        app.driver.navigate().refresh();
        app.awaitMainScreen(me);
        app.awaitMarker(walker, 31.230416, 121.473701);
        recordSentFrames(app);
        heartbeat(tcp, walker, "31.240000,121.480000");
        app.awaitMarker(walker, 31.24, 121.48);
        assertThat(sentTypes(app)).doesNotContain((long) C_FRIENDLIST_REFURBISH_REQ);
        assertThat(app.consoleProblems()).isEmpty();
      }
    }
  }

  @Test
  void myPositionFromTheBrowserIsPushedToAFriend() throws Exception {
    String me = "行" + NAMES.incrementAndGet();
    String friend = "watcher" + NAMES.incrementAndGet();
    try (WebApp app = WebApp.open(server).register(me);
        FrameClient tcp = friendOverTcp(app, me, friend, Set.of(Feature.LIVE_LOCATIONS))) {
      askForLivePositions(tcp);
      shareBrowserPosition(app, 22.543096, 114.057865);
      app.await("my position on the map", d -> !app.findAll("#my-position").isEmpty());
      assertThat(nextLocationOf(tcp, me)).isEqualTo("22.543096,114.057865");
      assertThat(app.find("#map-status").getText()).isEqualTo("Friends see your position.");

      // Invisible: the page says friends see the position from before.
      app.find("#visibility-toggle").click();
      app.await(
          "the invisible note",
          d ->
              app.find("#map-status")
                  .getText()
                  .equals("You are invisible: friends see your last position from before."));
      app.screenshot("live-map-invisible");
      assertThat(app.consoleProblems()).isEmpty();
    }
  }

  /**
   * Invisible mode on my side: the page goes on sending my new positions with heartbeats (they are
   * my track), but no friend gets them until I am visible again. The page sends a new position at
   * once when 10 s have passed since the last one sent (geo.js), hence the waits.
   */
  @Test
  void whileInvisibleMyNewPositionsReachNoFriend() throws Exception {
    String me = "隐" + NAMES.incrementAndGet();
    String friend = "looker" + NAMES.incrementAndGet();
    try (WebApp app = WebApp.open(server).register(me);
        FrameClient tcp = friendOverTcp(app, me, friend, Set.of(Feature.LIVE_LOCATIONS))) {
      askForLivePositions(tcp);
      shareBrowserPosition(app, 30.123456, 120.654321);
      long sent = System.nanoTime();
      assertThat(nextLocationOf(tcp, me)).isEqualTo("30.123456,120.654321");

      app.find("#visibility-toggle").click();
      awaitStatusOf(tcp, me, Presence.OFFLINE);
      recordSentFrames(app);
      untilAPositionIsSentAtOnce(sent);
      Chromium.setPosition(app.driver, app.origin(), 30.223456, 120.754321);
      app.awaitMyPosition(30.223456, 120.754321);
      app.await("the heartbeat with the new fix", d -> sentTypes(app).contains(3L));
      sent = System.nanoTime();
      tcp.expectSilence(Duration.ofMillis(1500));

      // Visible again: the next new position is pushed.
      app.find("#visibility-toggle").click();
      awaitStatusOf(tcp, me, Presence.ONLINE);
      untilAPositionIsSentAtOnce(sent);
      Chromium.setPosition(app.driver, app.origin(), 31.323456, 121.854321);
      assertThat(nextLocationOf(tcp, me)).isEqualTo("31.323456,121.854321");
      assertThat(app.consoleProblems()).isEmpty();
    }
  }
}
