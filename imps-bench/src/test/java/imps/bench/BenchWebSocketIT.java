package imps.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import imps.server.ImpsServerExtension;
import imps.server.config.ServerConfig;
import imps.server.transport.tls.TestCa;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The load generator over WebSocket ({@code --websocket}) on the server's web port, plain ({@code
 * ws://}) and with TLS ({@code wss://}): the connections are held as over TCP.
 */
class BenchWebSocketIT {
  private static final Path DIR = tempDir();
  private static final TestCa CA = TestCa.create();
  private static final Path CA_FILE = CA.writeCertificate(DIR.resolve("ca.pem"));

  static {
    CA.issue("localhost", "127.0.0.1").writeTo(DIR.resolve("cert.pem"), DIR.resolve("key.pem"));
  }

  @RegisterExtension
  static final ImpsServerExtension server =
      ImpsServerExtension.withSettings(
          b ->
              b.with(ServerConfig.Key.TLS_CERT_FILE, DIR.resolve("cert.pem").toString())
                  .with(ServerConfig.Key.TLS_KEY_FILE, DIR.resolve("key.pem").toString())
                  .with(ServerConfig.Key.TLS_PORT, 0));

  @AfterAll
  static void deleteFiles() throws IOException {
    try (Stream<Path> files = Files.walk(DIR)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Test
  void connectionsHeldOverWebSocket() throws Exception {
    JsonNode json = connections("ws.json");
    assertThat(json.path("settings").path("websocket").asBoolean()).isTrue();
    assertThat(json.path("settings").path("tls").asBoolean()).isFalse();
  }

  @Test
  void connectionsHeldOverSecureWebSocket() throws Exception {
    JsonNode json = connections("wss.json", "--tls", "--ca-file", CA_FILE.toString());
    assertThat(json.path("settings").path("tls").asBoolean()).isTrue();
  }

  private JsonNode connections(String file, String... more) throws Exception {
    Path out = DIR.resolve(file);
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

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("imps-bench-ws-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
