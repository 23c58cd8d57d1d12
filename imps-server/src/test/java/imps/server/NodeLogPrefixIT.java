package imps.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With a node-id every log line of the server process starts with it; without, none has one. */
class NodeLogPrefixIT {
  @TempDir Path data;

  /** The server's own logback.xml, not the tests' logback-test.xml that is on the class path. */
  private static List<String> productionLogging() {
    assertThat(Main.class.getResource("/logback.xml")).isNotNull();
    return List.of("-Dlogback.configurationFile=logback.xml"); // a class-path resource
  }

  @Test
  void everyLogLineCarriesTheNodeId() throws Exception {
    ServerProcess p =
        ServerProcess.start(data.resolve("a"), productionLogging(), List.of("node-id=node7"));
    try {
      List<String> lines =
          p.output().stream().filter(l -> l.matches(".*\\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*")).toList();
      assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(l).startsWith("[node7] "));
      assertThat(lines).anySatisfy(l -> assertThat(l).contains("IMPS listening on"));
    } finally {
      p.kill9();
    }
  }

  @Test
  void withoutANodeIdLinesStartWithTheTime() throws Exception {
    ServerProcess p = ServerProcess.start(data.resolve("b"), productionLogging(), List.of());
    try {
      List<String> lines =
          p.output().stream().filter(l -> l.contains("IMPS listening on")).toList();
      assertThat(lines).singleElement().asString().matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO .*");
    } finally {
      p.kill9();
    }
  }
}
