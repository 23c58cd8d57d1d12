package imps.server;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import imps.server.config.ServerConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Review finding L10: a server that cannot reach Redis says where, without the password. */
class StartupSecretsTest {
  @TempDir Path data;

  @Test
  void anUnreachableRedisIsReportedWithoutItsPassword() {
    ServerConfig config =
        ServerFixture.testConfig(data)
            .set(ServerConfig.Key.CLUSTER, "redis")
            .set(ServerConfig.Key.REDIS_URI, "redis://imps:redissecret@127.0.0.1:1")
            .build();
    assertThatThrownBy(() -> ImpsServer.start(config).close())
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("127.0.0.1:1")
        .hasMessageNotContaining("redissecret")
        .satisfies(
            e -> {
              for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
                org.assertj.core.api.Assertions.assertThat(String.valueOf(c.getMessage()))
                    .doesNotContain("redissecret");
              }
            });
  }
}
