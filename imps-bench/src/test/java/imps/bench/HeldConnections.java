package imps.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code connections} scenario against a test server, as the transport tests run it: 20 users
 * for a second with a heartbeat a second; every one logs in and is held, no heartbeat fails.
 */
final class HeldConnections {
  private HeldConnections() {}

  /**
   * Runs it on {@code port} with {@code more} options (the transport's), the result written to
   * {@code out}; checks the exit code and the metrics, and returns the result.
   */
  static JsonNode run(Path out, int port, String... more) throws Exception {
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
                "--port",
                Integer.toString(port),
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
