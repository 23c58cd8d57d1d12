package imps.server.transport;

import static imps.server.ImpsServerExtension.PASSWORD;
import static imps.server.ImpsServerExtension.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.message.AudioPush;
import imps.protocol.message.HeartbeatRequest;
import imps.protocol.message.HeartbeatResponse;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.LoginResponse;
import imps.server.ImpsServerExtension;
import imps.server.config.ServerConfig.Key;
import imps.testsupport.FrameClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Review finding C5: a login backlog used to park a shared worker while its client did not read, so
 * as many slow-reading logins as workers froze every request on the server. The review's test: four
 * workers, four users with a 2 MiB backlog each logging in on sockets that never read; a fifth
 * user's heartbeat and a fresh login are still answered within a second.
 */
class BacklogStarvationIT {
  private static final int CLIP = 60 * 1024;
  private static final int CLIPS = 35; // 2.1 MB per backlog
  private static final int STALLED = 4;

  @RegisterExtension
  final ImpsServerExtension server =
      ImpsServerExtension.withSettings(b -> b.set(Key.WORKER_THREADS, String.valueOf(STALLED)));

  @Test
  void slowReadersBacklogsDoNotStallOtherUsers() throws IOException {
    Stalled st = stallFourLogins();
    try {
      // While their backlogs are stuck, the sender's heartbeats and a fresh login are answered at
      // once (each within a second; before the fix, about 60 s).
      for (int probe = 0; probe < 5; probe++) {
        sleep(400);
        long t0 = System.nanoTime();
        st.sender().send(new HeartbeatRequest(st.senderName(), List.of()));
        st.sender().awaitMatching(HeartbeatResponse.class, r -> true);
        assertThat(Duration.ofNanos(System.nanoTime() - t0))
            .as("heartbeat %d", probe)
            .isLessThan(Duration.ofSeconds(1));
      }
      String fresh = uniqueName("c5f");
      server.register(fresh);
      try (FrameClient cf = server.connect()) {
        long t0 = System.nanoTime();
        cf.send(new LoginRequest(fresh, PASSWORD));
        cf.expect(LoginResponse.class);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
      }
    } finally {
      st.close();
    }
  }

  /**
   * Found while writing the test above: the stalled logins' backlogs fit the server's kernel send
   * buffers, and when the clients closed with unread data (a RST), the connection's delivery marks
   * were released as if the clips had been received: the socket, in state CLOSE, showed nothing
   * unacknowledged (decision 28), and 35 clips per user were lost. Now a RST never counts as
   * acknowledgement, and everything comes at the next login.
   */
  @Test
  void theStalledUsersGetEverythingAtTheirNextLogin() throws IOException {
    Stalled st = stallFourLogins();
    // As long as the probes above take: the backlogs have filled what the connections hold.
    sleep(2500);
    st.close();
    for (String v : st.victims()) {
      try (FrameClient cv = server.connect()) {
        cv.send(new LoginRequest(v, PASSWORD));
        cv.expect(LoginResponse.class);
        for (int i = 0; i < CLIPS; i++) {
          assertThat(cv.expect(AudioPush.class).data().asReadOnlyBuffer().getInt(0)).isEqualTo(i);
        }
      }
    }
  }

  private record Stalled(
      String senderName, FrameClient sender, List<String> victims, List<Socket> sockets) {
    void close() throws IOException {
      for (Socket s : sockets) {
        s.close();
      }
    }
  }

  /**
   * A sender with four friends, each with a backlog of 35 clips of 60 KiB, who log in on sockets
   * with a 4 KiB receive window that never read.
   */
  private Stalled stallFourLogins() throws IOException {
    String sender = uniqueName("c5s");
    FrameClient cs = server.newUser(sender);
    List<String> victims = new ArrayList<>();
    List<FrameClient> online = new ArrayList<>();
    for (int i = 0; i < STALLED; i++) {
      String v = uniqueName("c5v");
      victims.add(v);
      online.add(server.newUser(v));
      ImpsServerExtension.befriend(cs, sender, online.get(i), v);
    }
    for (FrameClient cv : online) {
      cv.close();
    }
    for (String v : victims) {
      for (int i = 0; i < CLIPS; i++) {
        NumberedClips.sendAndAwaitAck(cs, v, i, CLIP);
      }
    }
    List<Socket> stalled = new ArrayList<>();
    for (String v : victims) {
      Socket s = new Socket();
      s.setReceiveBufferSize(4096);
      s.connect(new InetSocketAddress("127.0.0.1", server.port()));
      s.getOutputStream().write(FrameClient.encode(new LoginRequest(v, PASSWORD)));
      stalled.add(s);
    }
    return new Stalled(sender, cs, victims, stalled);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
