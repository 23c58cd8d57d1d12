package imps.server;

import static org.assertj.core.api.Assertions.assertThat;

import imps.server.store.PostgresTestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A cluster node whose Redis cannot be reached does not start: one line naming Redis and its
 * address (password masked), exit status 4, no stack trace (MainTest covers a taken port, an
 * unreachable database and a taken admin port).
 */
class StartupFailureIT {
  @RegisterExtension static final PostgresTestDatabase db = PostgresTestDatabase.perClass();

  @TempDir Path data;

  @Test
  void anUnreachableRedisIsOneClearLineAndExitCodeFour() {
    PrintStream old = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int code =
          new CommandLine(new Main())
              .execute(
                  "--host", "127.0.0.1",
                  "--port", "0",
                  "--data-dir", data.toString(),
                  "--set", "web.enabled=false",
                  "--set", "store=postgres",
                  "--set", "postgres.url=" + db.url(),
                  "--set", "cluster=redis",
                  "--set", "redis.uri=redis://:hunter2@127.0.0.1:1");
      String text = err.toString(StandardCharsets.UTF_8);
      assertThat(code).as(text).isEqualTo(4);
      assertThat(text.lines().filter(l -> l.startsWith("imps: ")).toList())
          .singleElement()
          .asString()
          .startsWith("imps: cannot start: cannot reach Redis at ")
          .contains("127.0.0.1:1")
          .doesNotContain("hunter2");
      assertThat(text).doesNotContain("\tat ").doesNotContain("hunter2");
    } finally {
      System.setErr(old);
    }
  }
}
