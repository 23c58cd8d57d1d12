package imps.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import imps.server.ImpsServerExtension;
import imps.server.config.ServerConfig;
import imps.server.transport.tls.TlsFiles;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The load generator over TLS ({@code --tls --ca-file}) against a server with a test CA's pair. */
class BenchTlsIT {
  private static final TlsFiles TLS = TlsFiles.inTempDir("imps-bench-tls-");

  @RegisterExtension
  static final ImpsServerExtension server =
      ImpsServerExtension.withSettings(b -> TLS.serve(b).with(ServerConfig.Key.TLS_REQUIRED, true));

  @AfterAll
  static void deleteFiles() throws IOException {
    TLS.deleteDir();
  }

  @Test
  void connectionsHeldOverTls() throws Exception {
    Path out = TLS.dir().resolve("connections.json");
    int code =
        BenchMain.execute(
            "connections",
            "-c",
            "20",
            "-d",
            "1",
            "--heartbeat",
            "1",
            "--tls",
            "--ca-file",
            TLS.caFile().toString(),
            "--port",
            Integer.toString(server.server().tlsPort()),
            "--server-pid",
            Long.toString(ProcessHandle.current().pid()),
            "--no-progress",
            "--quiet",
            "--out",
            out.toString());
    JsonNode json = ResultWriter.JSON.readTree(out.toFile());
    assertThat(code).as("result %s", json).isZero();
    assertThat(json.path("settings").path("tls").asBoolean()).isTrue();
    JsonNode m = json.path("metrics");
    assertThat(m.path("logged_in").asLong()).isEqualTo(20);
    assertThat(m.path("held").asLong()).isEqualTo(20);
    assertThat(m.path("heartbeat_errors").asLong()).isZero();
  }
}
