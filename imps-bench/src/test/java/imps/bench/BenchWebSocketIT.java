package imps.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import imps.server.ImpsServerExtension;
import imps.server.transport.tls.TlsFiles;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The load generator over WebSocket ({@code --websocket}) on the server's web port, plain ({@code
 * ws://}) and with TLS ({@code wss://}): the connections are held as over TCP.
 */
class BenchWebSocketIT {
  private static final TlsFiles TLS = TlsFiles.inTempDir("imps-bench-ws-");

  @RegisterExtension
  static final ImpsServerExtension server = ImpsServerExtension.withSettings(TLS::serve);

  @AfterAll
  static void deleteFiles() throws IOException {
    TLS.deleteDir();
  }

  @Test
  void connectionsHeldOverWebSocket() throws Exception {
    JsonNode json =
        HeldConnections.run(TLS.dir().resolve("ws.json"), server.server().webPort(), "--websocket");
    assertThat(json.path("settings").path("websocket").asBoolean()).isTrue();
    assertThat(json.path("settings").path("tls").asBoolean()).isFalse();
  }

  @Test
  void connectionsHeldOverSecureWebSocket() throws Exception {
    JsonNode json =
        HeldConnections.run(
            TLS.dir().resolve("wss.json"),
            server.server().webPort(),
            "--websocket",
            "--tls",
            "--ca-file",
            TLS.caFile().toString());
    assertThat(json.path("settings").path("tls").asBoolean()).isTrue();
  }
}
