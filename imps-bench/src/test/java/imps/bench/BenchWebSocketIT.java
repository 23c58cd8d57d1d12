package imps.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import imps.server.ImpsServerExtension;
import imps.server.transport.tls.TlsFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
    JsonNode json = connections("ws.json");
    assertThat(json.path("settings").path("websocket").asBoolean()).isTrue();
    assertThat(json.path("settings").path("tls").asBoolean()).isFalse();
  }

  @Test
  void connectionsHeldOverSecureWebSocket() throws Exception {
    JsonNode json = connections("wss.json", "--tls", "--ca-file", TLS.caFile().toString());
    assertThat(json.path("settings").path("tls").asBoolean()).isTrue();
  }

  private JsonNode connections(String file, String... more) throws Exception {
    Path out = TLS.dir().resolve(file);
    List<String> args =
        new ArrayList<>(
            List.of(
                "connections",
                "-c",
                "20",
                "-d",
                "1",
                "--heartbeat",
                "1",
                "--websocket",
                "--port",
                Integer.toString(server.server().webPort()),
                "--server-pid",
                Long.toString(ProcessHandle.current().pid()),
                "--no-progress",
                "--quiet",
                "--out",
                out.toString()));
    args.addAll(List.of(more));
    int code = BenchMain.execute(args.toArray(String[]::new));
    JsonNode json = ResultWriter.JSON.readTree(out.toFile());
    assertThat(code).as("result %s", json).isZero();
    JsonNode m = json.path("metrics");
    assertThat(m.path("logged_in").asLong()).isEqualTo(20);
    assertThat(m.path("held").asLong()).isEqualTo(20);
    assertThat(m.path("heartbeat_errors").asLong()).isZero();
    return json;
  }
}
