package imps.server;

import static imps.server.ImpsServerExtension.PASSWORD;
import static imps.server.ImpsServerExtension.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.CommandType;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.LoginResponse;
import imps.protocol.message.MessagePush;
import imps.protocol.message.SendMessage;
import imps.server.config.ServerConfig;
import imps.server.store.sqlite.SqliteStore;
import imps.testsupport.FrameClient;
import imps.testsupport.MutableClock;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The test fixture itself: its directory, its settings, its clock, its restart. */
class ImpsServerExtensionIT {
  final MutableClock clock = new MutableClock();

  @RegisterExtension
  final ImpsServerExtension server =
      ImpsServerExtension.withSettings(
              b ->
                  b.set(ServerConfig.Key.LOGIN_FAILURES_PER_USER, "2")
                      .set(ServerConfig.Key.LOGIN_FAILURE_WINDOW, "1m"))
          .withClock(clock);

  @Test
  void theDataDirectoryIsTheServersOwnAndGoesAfterwards() throws Exception {
    assertThat(server.dataDir().resolve(SqliteStore.FILE_NAME)).exists();
    int perUser = server.config().get(ServerConfig.Key.LOGIN_FAILURES_PER_USER);
    assertThat(perUser).as("the test's setting").isEqualTo(2);

    ImpsServerExtension other = ImpsServerExtension.withDefaults();
    other.beforeEach(null);
    Path dir = other.dataDir();
    assertThat(dir).isNotEqualTo(server.dataDir());
    other.register(uniqueName("gone"));
    other.afterEach(null);
    assertThat(dir).doesNotExist();
  }

  @Test
  void serverTimeIsTheClocksTime() throws IOException {
    LoggedInFriends f = server.friends("ta", "tb");
    clock.advance(Duration.ofHours(1));
    f.ca().send(new SendMessage(f.a(), f.b(), "later"));
    f.ca().expectError(0, CommandType.C_SEND_MSG);
    assertThat(f.cb().expect(MessagePush.class).datetime()).isEqualTo("2026-11-28 13:00:00");
  }

  @Test
  void failedLoginsAreForgivenOnceTheWindowHasPassedOnTheClock() throws IOException {
    String name = uniqueName("forgiven");
    server.register(name);
    FrameClient c = server.connect();
    for (int i = 0; i < 2; i++) {
      c.send(new LoginRequest(name, "bad-password"));
      c.expectError(6, CommandType.C_LOGIN_REQ);
    }
    c.send(new LoginRequest(name, PASSWORD));
    c.expectError(10, CommandType.C_LOGIN_REQ);
    clock.advance(Duration.ofSeconds(61));
    c.send(new LoginRequest(name, PASSWORD));
    c.expect(LoginResponse.class);
  }

  @Test
  void aRestartKeepsThePortTheDataAndTheSettings() throws IOException {
    String name = uniqueName("kept");
    server.register(name);
    int port = server.port();
    try (FrameClient before = ServerFixture.loginOn(port, name)) {
      server.restart();
      before.expectClosed(Duration.ofSeconds(5));
    }
    assertThat(server.port()).isEqualTo(port);
    int perUser = server.config().get(ServerConfig.Key.LOGIN_FAILURES_PER_USER);
    assertThat(perUser).isEqualTo(2);
    server.login(name);

    server.stop();
    server.restart();
    assertThat(server.port()).isEqualTo(port);
    server.login(name);
  }
}
