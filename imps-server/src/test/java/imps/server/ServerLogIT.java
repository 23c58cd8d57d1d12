package imps.server;

import static org.assertj.core.api.Assertions.assertThat;

import imps.testsupport.FrameClient;
import imps.testsupport.RedisTestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the server process logs with its own logback.xml: the node id on every line, the start-up
 * line (with PROXY mode when on), and the activity summary of connections and logins.
 */
class ServerLogIT {
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
  void everyLogLineOfAClusterNodeCarriesTheNodeId() throws Exception {
    try (RedisTestServer redis = RedisTestServer.start()) {
      ServerProcess p =
          ServerProcess.start(
              data.resolve("cluster"),
              productionLogging(),
              List.of("node-id=node9", "cluster=redis", "redis.uri=" + redis.uri()));
      try {
        Awaitility.await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(
                () -> {
                  List<String> lines =
                      p.output().stream()
                          .filter(l -> l.matches(".*\\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*"))
                          .toList();
                  assertThat(lines)
                      .isNotEmpty()
                      .allSatisfy(l -> assertThat(l).startsWith("[node9] "))
                      .anySatisfy(l -> assertThat(l).contains("cluster node instance node9"))
                      .anySatisfy(
                          l ->
                              assertThat(l)
                                  .contains("IMPS listening on")
                                  .contains("cluster: redis"));
                });
      } finally {
        p.kill9();
      }
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

  @Test
  void theStartLineSaysWhenProxyHeadersAreExpected() throws Exception {
    ServerProcess p =
        ServerProcess.start(data.resolve("c"), productionLogging(), List.of("proxy-protocol=true"));
    try {
      assertThat(p.output())
          .anySatisfy(
              l ->
                  assertThat(l)
                      .contains("IMPS listening on")
                      .endsWith(", PROXY headers expected from 127.0.0.0/8,::1/128"));
    } finally {
      p.kill9();
    }
  }

  @Test
  void connectionsAndLoginsAreSummedUpAtInfo() throws Exception {
    ServerProcess p =
        ServerProcess.start(
            data.resolve("d"), productionLogging(), List.of("log.summary-interval=300ms"));
    try {
      ServerFixture.registerOn(p.port(), "logsum");
      try (FrameClient c = ServerFixture.loginOn(p.port(), "logsum")) {
        // Register and login may fall into one interval or two: add the lines up.
        Awaitility.await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> activity(p).equals(List.of(1, 2, 1, 1)));
      }
    } finally {
      p.kill9();
    }
  }

  @Test
  void atDebugEachConnectionAndLoginIsLogged() throws Exception {
    // IMPS_LOG_LEVEL=DEBUG in the environment is the setting log.level=debug (IMPS_* variables are
    // settings); the test process's environment says INFO, so the setting is given as a flag.
    ServerProcess p =
        ServerProcess.start(data.resolve("e"), productionLogging(), List.of("log.level=debug"));
    try {
      ServerFixture.registerOn(p.port(), "logdbg");
      try (FrameClient c = ServerFixture.loginOn(p.port(), "logdbg")) {
        Awaitility.await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(
                () ->
                    assertThat(p.output())
                        .anySatisfy(
                            l -> assertThat(l).matches(".* - connection from 127\\.0\\.0\\.1$"))
                        .anySatisfy(
                            l ->
                                assertThat(l)
                                    .matches(".* - logdbg logged in from 127\\.0\\.0\\.1$")));
      }
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(p.output())
                      .anySatisfy(
                          l ->
                              assertThat(l)
                                  .matches(
                                      ".* - connection of logdbg from 127\\.0\\.0\\.1 closed$")));
    } finally {
      p.kill9();
    }
  }

  private static final Pattern ACTIVITY =
      Pattern.compile(
          "INFO  \\[imps-housekeeping[^]]*\\] imps.activity - activity: (\\d+) connections open"
              + " \\(\\+(\\d+) -(\\d+)\\); (\\d+) logins, 0 resumed, 0 logged out");

  /** Connections open at the last summary, then opened, closed and logins in all summaries. */
  private static List<Integer> activity(ServerProcess p) {
    int open = -1;
    int opened = 0;
    int closed = 0;
    int logins = 0;
    for (String line : p.output()) {
      Matcher m = ACTIVITY.matcher(line);
      if (m.find()) {
        open = Integer.parseInt(m.group(1));
        opened += Integer.parseInt(m.group(2));
        closed += Integer.parseInt(m.group(3));
        logins += Integer.parseInt(m.group(4));
      }
    }
    return List.of(open, opened, closed, logins);
  }
}
