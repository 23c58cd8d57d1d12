package imps.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import imps.server.ImpsServerExtension;
import imps.server.config.ServerConfig;
import imps.server.transport.tls.TlsFiles;
import java.io.IOException;
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
    JsonNode json =
        HeldConnections.run(
            TLS.dir().resolve("connections.json"),
            server.server().tlsPort(),
            "--tls",
            "--ca-file",
            TLS.caFile().toString());
    assertThat(json.path("settings").path("tls").asBoolean()).isTrue();
  }
}
