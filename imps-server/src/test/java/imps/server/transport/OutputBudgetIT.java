package imps.server.transport;

import static imps.server.ImpsServerExtension.PASSWORD;
import static imps.server.ImpsServerExtension.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.message.AudioPush;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.LoginResponse;
import imps.server.ImpsServerExtension;
import imps.server.config.ServerConfig.Key;
import imps.testsupport.FrameClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Review finding H6: slow readers could each hold 8 MiB of output with no budget for all of them
 * together. Now each may hold {@code output.max-bytes-per-connection}, and past {@code
 * output.budget-bytes} for all together the largest holders are disconnected first; what they did
 * not receive comes again at their next login.
 */
class OutputBudgetIT {
  private static final int CLIP = 60 * 1024;

  @RegisterExtension
  final ImpsServerExtension server =
      ImpsServerExtension.withSettings(
          b ->
              b.set(Key.OUTPUT_MAX_BYTES_PER_CONNECTION, String.valueOf(16 << 20))
                  .set(Key.OUTPUT_BUDGET_BYTES, String.valueOf(4 << 20)));

  @Test
  void overTheBudgetTheLargestSlowReaderIsClosedFirstAndLosesNothing() throws IOException {
    String a = uniqueName("oa");
    String bigName = uniqueName("ob");
    String smallName = uniqueName("os");
    FrameClient ca = server.newUser(a);
    server.register(bigName, smallName);
    // Small receive windows from the start, so that the kernels hold little of what is sent.
    FrameClient cBig = slowReader(bigName);
    FrameClient cSmall = slowReader(smallName);
    ImpsServerExtension.befriend(ca, a, cBig, bigName);
    ImpsServerExtension.befriend(ca, a, cSmall, smallName);
    // Neither reads from now on.

    // The server's kernel takes some of it, up to 4 MiB per connection (tcp_wmem's maximum) on
    // its own; past that, output waits in the server. Clips to one until more than 1 MiB waits for
    // it (under the budget), then to the other until it is closed: the budget is passed once the
    // second holds about 3 MiB, so it is the largest.
    int small = 0;
    while (server.server().outputWaiting() < (1 << 20)) {
      assertThat(small).as("clips sent to the first reader").isLessThan(1000);
      NumberedClips.sendAndAwaitAck(ca, smallName, small++, CLIP);
    }
    int big = 0;
    while (server.server().closedForOutputBudget() == 0) {
      assertThat(big).as("clips sent to the second reader").isLessThan(1000);
      NumberedClips.sendAndAwaitAck(ca, bigName, big++, CLIP);
    }
    cBig.expectClosed(Duration.ofSeconds(10));
    assertThat(server.server().closedForOutputBudget()).isEqualTo(1);
    // The smaller one stays connected and gets all of its clips, in order.
    for (int i = 0; i < small; i++) {
      assertThat(cSmall.expect(AudioPush.class).data().asReadOnlyBuffer().getInt(0)).isEqualTo(i);
    }
    // The closed one gets everything at its next login.
    cSmall.close();
    cBig.close();
    try (FrameClient again = server.connect()) {
      again.send(new LoginRequest(bigName, PASSWORD));
      again.expect(LoginResponse.class);
      for (int i = 0; i < big; i++) {
        assertThat(again.expect(AudioPush.class).data().asReadOnlyBuffer().getInt(0)).isEqualTo(i);
      }
    }
  }

  private FrameClient slowReader(String name) throws IOException {
    Socket s = new Socket();
    s.setReceiveBufferSize(4096);
    s.connect(new InetSocketAddress("127.0.0.1", server.port()));
    FrameClient c = new FrameClient(s);
    c.send(new LoginRequest(name, PASSWORD));
    c.expect(LoginResponse.class);
    return c;
  }
}
