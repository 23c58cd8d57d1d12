package imps.server;

import static imps.server.ImpsServerExtension.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.CommandType;
import imps.protocol.ErrorCode;
import imps.protocol.Presence;
import imps.protocol.message.AudioPush;
import imps.protocol.message.AudioRequest;
import imps.protocol.message.ClipBytes;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.LoginResponse;
import imps.protocol.message.StatusNotifyPush;
import imps.testsupport.FrameClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review finding C3, the review's test: a login backlog page used to hold 500 clips with their
 * bodies (about 30 MB) while it was written at the client's pace, so about 20 logins at once of
 * users with full backlogs exhausted the launcher's 640 MiB heap, and after the restart the same
 * logins crashed it again. Pages are now bounded in bytes of bodies (1 MiB). A server process with
 * the launcher's JVM options; 30 users each with 500 clips of 60 KiB waiting log in at the same
 * moment on sockets with a 4 KiB receive window that never read, twice. The server stays up, a
 * fresh login is answered within a second, and every clip arrives at the users' next login.
 */
class BacklogMemoryIT {
  private static final List<String> LAUNCHER_JVM =
      List.of("-Xmx640m", "-XX:+ExitOnOutOfMemoryError");
  private static final int USERS = 30;
  private static final int CLIPS = 500;
  private static final int CLIP = 60 * 1024;
  private static final int BATCH = 100;

  @TempDir Path data;

  @Test
  void manyLoginsWithFullBacklogsAtOnceLeaveTheServerUpAndLoseNothing() throws Exception {
    ServerProcess server = ServerProcess.start(data, LAUNCHER_JVM, List.of());
    try {
      int port = server.port();
      String sender = "c3sender";
      ServerFixture.registerOn(port, sender, "c3fresh");
      List<String> victims = new ArrayList<>();
      try (FrameClient cs = ServerFixture.loginOn(port, sender)) {
        for (int v = 0; v < USERS; v++) {
          String name = "c3victim" + v;
          victims.add(name);
          ServerFixture.registerOn(port, name);
          try (FrameClient cv = ServerFixture.loginOn(port, name)) {
            ServerFixture.befriend(cs, sender, cv, name);
          }
          cs.awaitMatching(
              StatusNotifyPush.class,
              p -> p.userName().equals(name) && p.status() == Presence.OFFLINE);
        }
        // 15,000 clips of 60 KiB (900 MB) wait for the 30 users, who are offline.
        byte[] clip = new byte[CLIP];
        for (String v : victims) {
          for (int i = 0; i < CLIPS; i += BATCH) {
            for (int k = i; k < i + BATCH; k++) {
              ByteBuffer.wrap(clip).putInt(0, k);
              cs.send(new AudioRequest(v, ClipBytes.copyOf(clip), ""));
            }
            for (int k = i; k < i + BATCH; k++) {
              cs.awaitMatching(
                  ErrorResponse.class,
                  r -> r.equals(ErrorResponse.of(ErrorCode.SUCCESS, CommandType.C_AUDIO_REQ)));
            }
          }
        }
      }

      for (int wave = 0; wave < 2; wave++) {
        List<Socket> stalled = new ArrayList<>();
        for (String v : victims) {
          Socket s = new Socket();
          s.setReceiveBufferSize(4096);
          s.connect(new InetSocketAddress("127.0.0.1", port));
          stalled.add(s);
        }
        byte[][] logins = new byte[USERS][];
        for (int i = 0; i < USERS; i++) {
          logins[i] = FrameClient.encode(new LoginRequest(victims.get(i), PASSWORD));
        }
        for (int i = 0; i < USERS; i++) {
          stalled.get(i).getOutputStream().write(logins[i]);
        }
        // The review expected the process to exit within about 10 s.
        for (int second = 0; second < 10; second++) {
          Thread.sleep(1000);
          assertThat(server.isAlive()).as("wave %d, after %d s", wave, second + 1).isTrue();
        }
        assertFreshLoginWithinASecond(port);
        for (Socket s : stalled) {
          s.close();
        }
      }

      // Nothing written to the stalled sockets counts as delivered: all 500 come, in order.
      for (String v : victims) {
        try (FrameClient cv = ServerFixture.loginOn(port, v)) {
          for (int i = 0; i < CLIPS; i++) {
            int k = index(cv.expect(AudioPush.class));
            if (k != i) {
              // Lost or out of order? What follows tells (the server's output is saved too).
              assertThat(k).as("%s clip %d, followed by %s", v, i, following(cv)).isEqualTo(i);
            }
          }
        }
      }
      assertThat(server.isAlive()).isTrue();
    } catch (Throwable t) {
      t.addSuppressed(
          new AssertionError("server output in " + server.saveOutput("BacklogMemoryIT")));
      throw t;
    } finally {
      int status = server.exitStatus(Duration.ZERO);
      server.kill9();
      assertThat(status).as("exit status (3 is an OutOfMemoryError)").isEqualTo(-1);
    }
  }

  private static int index(AudioPush p) {
    return p.data().asReadOnlyBuffer().getInt(0);
  }

  /** The indexes of up to 40 more clips, as far as they come. */
  private static List<Integer> following(FrameClient cv) {
    List<Integer> next = new ArrayList<>();
    try {
      for (int j = 0; j < 40; j++) {
        next.add(index(cv.expect(AudioPush.class)));
      }
    } catch (IOException | AssertionError e) {
      // as far as they came
    }
    return next;
  }

  private static void assertFreshLoginWithinASecond(int port) throws IOException {
    try (FrameClient fresh = FrameClient.connect(port)) {
      long t0 = System.nanoTime();
      fresh.send(new LoginRequest("c3fresh", PASSWORD));
      fresh.expect(LoginResponse.class);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
    }
  }
}
