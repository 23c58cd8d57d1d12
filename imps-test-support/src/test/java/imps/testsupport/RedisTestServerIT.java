package imps.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A test's own redis-server: private port, nothing on disk, gone afterwards; pause and restart. */
class RedisTestServerIT {
  @RegisterExtension static final RedisTestServer shared = RedisTestServer.perClass();

  @Test
  void theExtensionStartsAServerForTheClass() {
    assertThat(shared.isRunning()).isTrue();
    assertThat(shared.uri()).isEqualTo("redis://127.0.0.1:" + shared.port());
    assertThat(shared.command("PING")).isEqualTo("PONG");
  }

  @Test
  void listensOnItsOwnPortWithoutPersistenceAndIsGoneAfterClose() throws Exception {
    Path dir;
    int port;
    try (RedisTestServer redis = RedisTestServer.start()) {
      port = redis.port();
      assertThat(port).isNotEqualTo(6379).isNotEqualTo(shared.port());
      assertThat(redis.command("CONFIG", "GET", "save")).isEqualTo("save\n");
      assertThat(redis.command("CONFIG", "GET", "appendonly")).isEqualTo("appendonly\nno");
      assertThat(redis.command("CONFIG", "GET", "bind")).isEqualTo("bind\n127.0.0.1");
      dir = Path.of(redis.command("CONFIG", "GET", "dir").split("\n")[1]);
      assertThat(dir).isDirectory();
      assertThat(redis.command("SET", "k", "v")).isEqualTo("OK");
    }
    assertThat(Files.exists(dir)).isFalse();
    assertThat(Services.reachable("127.0.0.1", port)).isFalse();
  }

  @Test
  void stopsAndStartsAgainEmptyOnTheSamePort() {
    try (RedisTestServer redis = RedisTestServer.start()) {
      int port = redis.port();
      redis.command("SET", "k", "v");
      redis.stop();
      assertThat(redis.isRunning()).isFalse();
      assertThat(Services.reachable("127.0.0.1", port)).isFalse();
      redis.startAgain();
      assertThat(redis.port()).isEqualTo(port);
      assertThat(redis.command("GET", "k")).isNull();
    }
  }

  @Test
  void closeStopsAPausedServerToo() {
    RedisTestServer redis = RedisTestServer.start();
    int port = redis.port();
    redis.pause(Duration.ofSeconds(30));
    long start = System.nanoTime();
    redis.close();
    assertThat(redis.isRunning()).isFalse();
    assertThat(Services.reachable("127.0.0.1", port)).isFalse();
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(10_000);
  }

  @Test
  void pauseHoldsCommandsOfThisServerOnly() {
    try (RedisTestServer redis = RedisTestServer.start()) {
      redis.pause(Duration.ofMillis(800));
      long start = System.nanoTime();
      assertThat(redis.command("SET", "k", "v")).isEqualTo("OK");
      assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(500);
      // The class's server is not paused.
      start = System.nanoTime();
      shared.command("SET", "k", "v");
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(500);
    }
  }

  @Test
  void pauseWritesStillAnswersReads() {
    try (RedisTestServer redis = RedisTestServer.start()) {
      redis.command("SET", "k", "v");
      redis.pauseWrites(Duration.ofMillis(800));
      long start = System.nanoTime();
      assertThat(redis.command("GET", "k")).isEqualTo("v");
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(500);
      redis.command("SET", "k", "w");
      assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(500);
    }
  }

  @Test
  void errorRepliesThrow() {
    assertThatThrownBy(() -> shared.command("NOSUCHCOMMAND"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("unknown command");
  }
}
