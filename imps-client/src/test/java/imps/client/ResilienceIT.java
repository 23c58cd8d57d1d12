package imps.client;

import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.Gender;
import imps.protocol.Presence;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reconnection after a server restart, automatic heartbeats, timeouts, drops. */
class ResilienceIT {
  static final String PW = "secret1";

  @TempDir Path dir;

  static Throwable failure(CompletableFuture<?> f) throws Exception {
    try {
      f.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("future succeeded");
  }

  @Test
  void reconnectsAfterServerRestartAndRestoresStatus() throws Exception {
    try (TestServer server = new TestServer(dir)) {
      Recorder rf = new Recorder();
      Recorder rec = new Recorder();
      try (ImpsClient friend =
              new ImpsClient(ClientOptions.builder().port(server.port()).build(), rf);
          ImpsClient client =
              new ImpsClient(
                  ClientOptions.builder()
                      .port(server.port())
                      .reconnect(
                          ReconnectPolicy.exponential(
                              Duration.ofMillis(100), Duration.ofMillis(400)))
                      .build(),
                  rec)) {
        client.connect().join();
        client.register("roamer", PW, Gender.UNSPECIFIED, "").join();
        client.register("anchor", PW, Gender.UNSPECIFIED, "").join();
        client.login("roamer", PW).join();
        client.setStatus(Presence.INVISIBLE).join();

        server.stop();
        assertThat(rec.await(Recorder.Disconnected.class).reconnecting()).isTrue();
        assertThat(client.state()).isEqualTo(ImpsClient.State.RECONNECTING);
        // While the server is down, requests fail at once instead of hanging.
        assertThat(failure(client.friends())).isInstanceOf(ImpsConnectionException.class);
        Thread.sleep(600); // a few refused attempts, backing off

        server.restart();
        Recorder.Reconnected back = rec.await(Recorder.Reconnected.class);
        assertThat(back.login().userName()).isEqualTo("roamer");
        assertThat(client.state()).isEqualTo(ImpsClient.State.LOGGED_IN);

        // Logged in again, still invisible, and fully usable.
        friend.connect().join();
        friend.login("anchor", PW).join();
        friend.addFriend("roamer").join();
        rec.await(Recorder.FriendRequest.class);
        client.answerFriendRequest("anchor", true).join();
        assertThat(friend.friends().join().get(0).status()).isEqualTo(Presence.OFFLINE);
        client.sendMessage("anchor", "back").join();
        assertThat(rf.await(ReceivedMessage.class).text()).isEqualTo("back");
      }
    }
  }

  @Test
  void automaticHeartbeatsKeepAnIdleSessionAlive() throws Exception {
    try (TestServer server = new TestServer(dir, Duration.ofSeconds(1));
        ImpsClient beating =
            new ImpsClient(
                ClientOptions.builder()
                    .port(server.port())
                    .heartbeatInterval(Duration.ofMillis(300))
                    .build(),
                new Recorder());
        ImpsClient silent =
            new ImpsClient(
                ClientOptions.builder()
                    .port(server.port())
                    .heartbeatInterval(Duration.ZERO)
                    .build(),
                new Recorder())) {
      beating.connect().join();
      beating.register("beat", PW, Gender.UNSPECIFIED, "").join();
      beating.register("mute", PW, Gender.UNSPECIFIED, "").join();
      beating.login("beat", PW).join();
      silent.connect().join();
      silent.login("mute", PW).join();

      Thread.sleep(2500);
      assertThat(beating.friends().join()).isEmpty();
      assertThat(silent.state()).isEqualTo(ImpsClient.State.DISCONNECTED);
    }
  }

  @Test
  void requestTimesOutWhenTheServerNeverAnswers() throws Exception {
    try (ServerSocket blackHole = new ServerSocket(0);
        ImpsClient client =
            new ImpsClient(
                ClientOptions.builder()
                    .port(blackHole.getLocalPort())
                    .requestTimeout(Duration.ofMillis(300))
                    .build(),
                new Recorder())) {
      client.connect().join();
      try (Socket accepted = blackHole.accept()) {
        long start = System.nanoTime();
        assertThat(failure(client.login("x", PW))).isInstanceOf(ImpsTimeoutException.class);
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(3));
      }
    }
  }

  @Test
  void pendingRequestsFailWhenTheConnectionDrops() throws Exception {
    Recorder rec = new Recorder();
    try (ServerSocket peer = new ServerSocket(0);
        ImpsClient client =
            new ImpsClient(ClientOptions.builder().port(peer.getLocalPort()).build(), rec)) {
      client.connect().join();
      CompletableFuture<?> pending;
      try (Socket accepted = peer.accept()) {
        pending = client.login("x", PW);
        accepted.getInputStream().read(); // the request arrived
      }
      assertThat(failure(pending)).isInstanceOf(ImpsConnectionException.class);
      assertThat(rec.await(Recorder.Disconnected.class).reconnecting()).isFalse();
    }
  }

  @Test
  void connectFailsCleanlyWhenNothingListens() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (ImpsClient client =
        new ImpsClient(ClientOptions.builder().port(port).build(), new Recorder())) {
      assertThat(failure(client.connect())).isInstanceOf(ImpsConnectionException.class);
      assertThat(failure(client.friends())).isInstanceOf(ImpsConnectionException.class);
    }
  }

  @Test
  void closeFailsPendingFutures() throws Exception {
    try (ServerSocket peer = new ServerSocket(0)) {
      ImpsClient client =
          new ImpsClient(ClientOptions.builder().port(peer.getLocalPort()).build(), new Recorder());
      client.connect().join();
      try (Socket accepted = peer.accept()) {
        CompletableFuture<?> pending = client.login("x", PW);
        client.close();
        assertThat(failure(pending)).isInstanceOf(ImpsConnectionException.class);
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }
  }

  @Test
  void reconnectionGivesUpAfterItsAttemptsAndLogoutStopsIt() throws Exception {
    try (TestServer server = new TestServer(dir)) {
      Recorder rec = new Recorder();
      ReconnectPolicy twice =
          new ReconnectPolicy(true, Duration.ofMillis(50), Duration.ofMillis(100), 2.0, 0.0, 2);
      try (ImpsClient client =
          new ImpsClient(
              ClientOptions.builder().port(server.port()).reconnect(twice).build(), rec)) {
        client.connect().join();
        client.register("quitter", PW, Gender.UNSPECIFIED, "").join();
        client.login("quitter", PW).join();
        server.stop();
        assertThat(rec.await(Recorder.Disconnected.class).reconnecting()).isTrue();
        assertThat(rec.await(Recorder.ReconnectFailed.class).cause())
            .hasMessage("gave up after 2 reconnection attempts");
        assertThat(client.state()).isEqualTo(ImpsClient.State.DISCONNECTED);
      }
    }
    try (TestServer server = new TestServer(dir.resolve("second"))) {
      Recorder rec = new Recorder();
      try (ImpsClient client =
          new ImpsClient(
              ClientOptions.builder()
                  .port(server.port())
                  .reconnect(
                      ReconnectPolicy.exponential(Duration.ofMillis(200), Duration.ofMillis(200)))
                  .build(),
              rec)) {
        client.connect().join();
        client.register("stayer", PW, Gender.UNSPECIFIED, "").join();
        client.login("stayer", PW).join();
        server.stop();
        rec.await(Recorder.Disconnected.class);
        assertThat(client.state()).isEqualTo(ImpsClient.State.RECONNECTING);
        // Signing out while reconnecting fails (no connection) and stops the reconnection.
        assertThat(failure(client.logout())).isInstanceOf(ImpsConnectionException.class);
        assertThat(client.state()).isEqualTo(ImpsClient.State.DISCONNECTED);
        server.restart();
        assertThat(rec.poll(700)).isNull();
        assertThat(client.state()).isEqualTo(ImpsClient.State.DISCONNECTED);
      }
    }
  }
}
