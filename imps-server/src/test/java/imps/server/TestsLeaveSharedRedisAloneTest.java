package imps.server;

import static org.assertj.core.api.Assertions.assertThat;

import imps.server.config.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mvn verify} never touches a developer's Redis (README, "Tests"; newcomer finding 9): a
 * test server that is not given a Redis of a test's own ({@code RedisTestServer}) points at an
 * address where nothing listens, never the default {@code 127.0.0.1:6379}; and no test source names
 * the default port or flushes or pauses a Redis other than a {@code RedisTestServer}'s.
 */
class TestsLeaveSharedRedisAloneTest {
  /** Only these files may contain the text: redaction examples that connect nowhere. */
  private static final List<String> DEFAULT_PORT_ALLOWED =
      List.of("SecretsTest.java", "TestsLeaveSharedRedisAloneTest.java", "RedisTestServerIT.java");

  private static final Pattern DEFAULT_PORT = Pattern.compile("\\b6379\\b");
  private static final Pattern SERVER_WIDE =
      Pattern.compile("FLUSHALL|FLUSHDB|\"PAUSE\"|CLIENT PAUSE|\"SHUTDOWN\"|CONFIG SET");

  @TempDir Path data;

  @Test
  void aTestServerWithoutARedisOfItsOwnPointsNowhere() {
    String uri = TestServerConfig.builder(data).build().get(ServerConfig.Key.REDIS_URI);
    assertThat(uri).doesNotContain("6379").isEqualTo(TestServerConfig.NO_REDIS);
    assertThat(TestServerConfig.asSetFlags()).contains("redis.uri=" + TestServerConfig.NO_REDIS);
  }

  @Test
  void noTestNamesTheDefaultPortOrFlushesOrPausesASharedRedis() throws IOException {
    Path root = Path.of("..").toAbsolutePath().normalize();
    assertThat(root.resolve("imps-test-support")).isDirectory();
    List<Path> sources;
    try (Stream<Path> modules = Files.list(root)) {
      sources =
          modules
              .filter(m -> m.getFileName().toString().startsWith("imps-"))
              .map(m -> m.resolve("src"))
              .filter(Files::isDirectory)
              .flatMap(TestsLeaveSharedRedisAloneTest::javaFiles)
              .filter(
                  p -> p.toString().contains("/src/test/") || p.toString().contains("testsupport"))
              .toList();
    }
    assertThat(sources).hasSizeGreaterThan(100);
    for (Path p : sources) {
      String text = Files.readString(p);
      String name = p.getFileName().toString();
      if (!DEFAULT_PORT_ALLOWED.contains(name)) {
        assertThat(DEFAULT_PORT.matcher(text).find())
            .as("%s names Redis's default port 6379; use a RedisTestServer", root.relativize(p))
            .isFalse();
      }
      if (SERVER_WIDE.matcher(text).find()) {
        assertThat(text)
            .as(
                "%s flushes, pauses or reconfigures a Redis: only a RedisTestServer's may be",
                root.relativize(p))
            .contains("RedisTestServer");
      }
    }
  }

  private static Stream<Path> javaFiles(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(p -> p.toString().endsWith(".java")).toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
