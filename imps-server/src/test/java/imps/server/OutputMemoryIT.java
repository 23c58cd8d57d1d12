package imps.server;

import static imps.server.ImpsServerExtension.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.CommandType;
import imps.protocol.ErrorCode;
import imps.protocol.message.AudioPush;
import imps.protocol.message.AudioRequest;
import imps.protocol.message.ClipBytes;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.LoginResponse;
import imps.testsupport.FrameClient;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review finding H6, the review's test: slow readers could each hold 8 MiB of output with no budget
 * for all together, so about 80 of them exhausted the direct memory of the launcher's heap (an
 * OutOfMemoryError that does not make the process exit: it stays up failing every allocation). Now
 * each may hold {@code output.max-bytes-per-connection} (2 MiB) and all together {@code
 * output.budget-bytes} (a quarter of direct memory), the largest closed first. A server process
 * with the launcher's JVM options and default output limits; 100 friends log in on sockets with a 4
 * KiB receive window and stop reading, and each is sent 224 clips of 60 KiB (13 MiB; the review's
 * 128 were not enough here, since the server's kernel takes up to 4 MiB of each connection's
 * output; with 224 the former limits, 8 MiB per connection and no budget, made the server fail its
 * connections). The server stays up with no direct-memory failure in its log, a fresh login is
 * answered within a second, and every acknowledged clip arrives at the receivers' next logins.
 */
class OutputMemoryIT {
  private static final List<String> LAUNCHER_JVM =
      List.of("-Xmx640m", "-XX:+ExitOnOutOfMemoryError");
  private static final int CLIP = 60 * 1024;
  private static final int RECEIVERS = 100;
  private static final int SENDERS = 10;
  private static final int CLIPS = 224; // 13 MiB each
  private static final int BATCH = 32;

  @TempDir Path data;

  @Test
  void manySlowReadersStayWithinTheOutputBudgetAndLoseNothing() throws Exception {
    ServerProcess server = ServerProcess.start(data, LAUNCHER_JVM, List.of());
    try {
      int port = server.port();
      ServerFixture.registerOn(port, "h6fresh");
      List<FrameClient> senders = new ArrayList<>();
      for (int s = 0; s < SENDERS; s++) {
        ServerFixture.registerOn(port, "h6sender" + s);
        senders.add(ServerFixture.loginOn(port, "h6sender" + s));
      }
      List<FrameClient> receivers = new ArrayList<>();
      for (int r = 0; r < RECEIVERS; r++) {
        String name = "h6reader" + r;
        ServerFixture.registerOn(port, name);
        FrameClient c = slowReader(port, name);
        ServerFixture.befriend(senders.get(r % SENDERS), "h6sender" + (r % SENDERS), c, name);
        receivers.add(c); // reads nothing from now on
      }

      // 224 clips to each receiver, in rounds of 32, each acknowledged.
      int[] acked = new int[RECEIVERS];
      for (int k = 0; k < CLIPS; k += BATCH) {
        for (int r = 0; r < RECEIVERS; r++) {
          FrameClient from = senders.get(r % SENDERS);
          for (int i = k; i < k + BATCH; i++) {
            byte[] clip = new byte[CLIP];
            ByteBuffer.wrap(clip).putInt(0, i);
            from.send(new AudioRequest("h6reader" + r, ClipBytes.copyOf(clip), ""));
          }
        }
        for (int r = 0; r < RECEIVERS; r++) {
          FrameClient from = senders.get(r % SENDERS);
          for (int i = k; i < k + BATCH; i++) {
            ErrorResponse e =
                from.awaitMatching(
                    ErrorResponse.class, x -> x.cmd() == CommandType.C_AUDIO_REQ.value());
            assertThat(e.code()).isEqualTo(ErrorCode.SUCCESS);
          }
          acked[r] += BATCH;
        }
      }

      assertThat(server.isAlive()).as("server still running").isTrue();
      try (FrameClient fresh = FrameClient.connect(port)) {
        long t0 = System.nanoTime();
        fresh.send(new LoginRequest("h6fresh", PASSWORD));
        fresh.expect(LoginResponse.class);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
      }
      assertThat(String.join("\n", server.output()))
          .doesNotContain("direct buffer memory")
          .doesNotContain("OutOfMemoryError");
      for (FrameClient c : receivers) {
        c.close();
      }
      for (FrameClient c : senders) {
        c.close();
      }
      // What the closed ones had not received comes at their next login, once each.
      for (int r = 0; r < RECEIVERS; r++) {
        Set<Integer> got = new HashSet<>();
        try (FrameClient again = ServerFixture.loginOn(port, "h6reader" + r)) {
          for (int i = 0; i < acked[r]; i++) {
            got.add(
                again
                    .awaitMatching(AudioPush.class, x -> true)
                    .data()
                    .asReadOnlyBuffer()
                    .getInt(0));
          }
        }
        assertThat(got).as("h6reader%d", r).hasSize(acked[r]);
      }
      assertThat(server.isAlive()).isTrue();
    } finally {
      int status = server.exitStatus(Duration.ZERO);
      server.kill9();
      assertThat(status).as("exit status (3 is an OutOfMemoryError)").isEqualTo(-1);
    }
  }

  private static FrameClient slowReader(int port, String name) throws Exception {
    Socket s = new Socket();
    s.setReceiveBufferSize(4096);
    s.connect(new InetSocketAddress("127.0.0.1", port));
    FrameClient c = new FrameClient(s);
    c.send(new LoginRequest(name, PASSWORD));
    c.expect(LoginResponse.class);
    return c;
  }
}
