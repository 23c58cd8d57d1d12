package imps.server.transport;

import static imps.server.ImpsServerExtension.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import imps.protocol.message.HeartbeatRequest;
import imps.protocol.message.HeartbeatResponse;
import imps.server.ImpsServerExtension;
import imps.server.config.ServerConfig;
import imps.testsupport.FrameClient;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code max-connections}: connections over the limit are closed; below it they work again. */
class ConnectionLimitIT {
  @RegisterExtension
  final ImpsServerExtension server =
      ImpsServerExtension.withSettings(b -> b.set(ServerConfig.Key.MAX_CONNECTIONS, "2"));

  @Test
  void connectionsOverTheLimitAreClosedAndLaterOnesServed() throws IOException {
    String a = uniqueName("la");
    String b = uniqueName("lb");
    server.register(a, b);
    awaitConnections(0);

    FrameClient first = server.login(a);
    FrameClient second = server.connect();
    awaitConnections(2);

    FrameClient third = server.connect();
    third.expectClosed(Duration.ofSeconds(5));

    // The connections within the limit are unaffected.
    first.send(new HeartbeatRequest(a, List.of()));
    first.expect(HeartbeatResponse.INSTANCE);

    second.close();
    awaitConnections(1);
    FrameClient fourth = server.login(b);
    fourth.send(new HeartbeatRequest(b, List.of()));
    fourth.expect(HeartbeatResponse.INSTANCE);
  }

  private void awaitConnections(int n) {
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(server.server().connectionCount()).isEqualTo(n));
  }
}
