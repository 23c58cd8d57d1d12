package imps.server.transport;

import static imps.server.ImpsServerExtension.PASSWORD;
import static imps.server.ImpsServerExtension.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.message.AudioPush;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.LoginResponse;
import imps.server.ImpsServerExtension;
import imps.testsupport.FrameClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Decision 28: an item counts as delivered to a legacy client once the client's kernel has
 * acknowledged its bytes, judged from {@code TCP_INFO} ({@code KernelAcks}). A client that stops
 * reading closes its receive window: the server's kernel has then had everything it sent
 * acknowledged, and what the server wrote after that waits unsent in its send queue. Until the
 * kernel's first zero-window probe, one retransmission timeout (at least 200 ms) after the window
 * closed, nothing else showed it: the connection looked quiet, and the marks of every frame in the
 * send queue were released as delivered. A close by the server (a newer login) and a FIN from the
 * client each release on one such reading, so in that time a login backlog's clips were lost (all
 * 35 here). The periodic release takes two readings a probe interval apart, and can be fooled the
 * same way when the probe is late or a window that opened again reset its back-off (a loaded
 * machine; the likely cause of BacklogMemoryIT's "clip 0: expected 0 but was 45"). Now bytes
 * waiting unsent ({@code tcpi_notsent_bytes}) keep a connection from being quiet.
 */
class StalledBacklogReleaseIT {
  private static final int CLIP = 60 * 1024;
  private static final int CLIPS = 35; // 2.1 MB: the server's kernel takes all of it at once

  @RegisterExtension final ImpsServerExtension server = ImpsServerExtension.withDefaults();

  @Test
  void aNewerLoginRightAfterTheWindowClosedLosesNothing() throws Exception {
    String victim = backlogOfClips();
    try (Socket stalled = stalledLogin(victim);
        FrameClient cv = server.connect()) {
      // Well within the probe interval after the stalled window closed: the newer login closes
      // the stalled connection (after waiting up to 200 ms for its client's kernel to be quiet).
      cv.send(new LoginRequest(victim, PASSWORD));
      cv.expect(LoginResponse.class);
      expectAllClips(cv);
    }
  }

  @Test
  void aClientThatHalfClosesRightAfterItsWindowClosedLosesNothing() throws Exception {
    String victim = backlogOfClips();
    try (Socket stalled = stalledLogin(victim)) {
      stalled.shutdownOutput(); // a FIN, everything unread
      Thread.sleep(500); // the server takes the FIN and closes
    } // closed with unread data: a reset
    try (FrameClient cv = server.connect()) {
      cv.send(new LoginRequest(victim, PASSWORD));
      cv.expect(LoginResponse.class);
      expectAllClips(cv);
    }
  }

  /** A user with {@link #CLIPS} clips of 60 KiB waiting, numbered from 0 in their first bytes. */
  private String backlogOfClips() throws IOException {
    String sender = uniqueName("sbs");
    String victim = uniqueName("sbv");
    try (FrameClient cs = server.newUser(sender)) {
      try (FrameClient cv = server.newUser(victim)) {
        ImpsServerExtension.befriend(cs, sender, cv, victim);
      }
      for (int i = 0; i < CLIPS; i++) {
        NumberedClips.sendAndAwaitAck(cs, victim, i, CLIP);
      }
    }
    return victim;
  }

  /**
   * Logs {@code victim} in on a socket with a 4 KiB receive window that never reads; returns once
   * the backlog's clips have filled that window, and a moment more, so that the rest of the first
   * page is in the server's kernel, unsent.
   */
  private Socket stalledLogin(String victim) throws IOException, InterruptedException {
    Socket s = new Socket();
    s.setReceiveBufferSize(4096);
    s.connect(new InetSocketAddress("127.0.0.1", server.port()));
    s.getOutputStream().write(FrameClient.encode(new LoginRequest(victim, PASSWORD)));
    InputStream in = s.getInputStream();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (in.available() < 2048 && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertThat(in.available()).as("bytes of the backlog received").isGreaterThanOrEqualTo(2048);
    Thread.sleep(50);
    return s;
  }

  private static void expectAllClips(FrameClient cv) throws IOException {
    for (int i = 0; i < CLIPS; i++) {
      AudioPush p = cv.expect(AudioPush.class);
      assertThat(p.data().asReadOnlyBuffer().getInt(0)).as("clip %d", i).isEqualTo(i);
    }
  }
}
