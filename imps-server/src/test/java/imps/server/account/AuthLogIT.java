package imps.server.account;

import static imps.server.ImpsServerExtension.PASSWORD;
import static imps.server.ImpsServerExtension.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import imps.protocol.CommandType;
import imps.protocol.Gender;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.RegisterRequest;
import imps.protocol.message.RegisterResponse;
import imps.server.ImpsServerExtension;
import imps.testsupport.FrameClient;
import imps.testsupport.MutableClock;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * Review finding L3: failed logins, throttle hits and registrations are logged with the client
 * address, in the line format docs/SECURITY.md gives a fail2ban filter for, and a flood cannot
 * flood the log. The server's clock stands still here, so every line falls in the same second.
 */
class AuthLogIT {
  /** The failregex of the fail2ban filter in docs/SECURITY.md, with {@code <HOST>} filled in. */
  private static final Pattern FAILREGEX =
      Pattern.compile(
          "^imps-auth: (?:login failed|login throttled) user=\\S+ addr=(127\\.0\\.0\\.2)(?: .*)?$");

  private final MutableClock clock = new MutableClock();

  @RegisterExtension
  final ImpsServerExtension server = ImpsServerExtension.withDefaults().withClock(clock);

  private final Logger log = (Logger) LoggerFactory.getLogger("imps.auth");
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private Level level;

  @BeforeEach
  void capture() {
    level = log.getLevel();
    log.setLevel(Level.INFO);
    lines.start();
    log.addAppender(lines);
  }

  @AfterEach
  void release() {
    log.detachAppender(lines);
    log.setLevel(level);
  }

  @Test
  void failedLoginsAreLoggedWithTheAddressAtALimitedRate() throws IOException {
    try (FrameClient c = FrameClient.connectFrom("127.0.0.2", server.port())) {
      for (int i = 0; i < 100; i++) {
        c.send(new LoginRequest(uniqueName("nobody"), "wrong-password"));
        c.expectError(6, CommandType.C_LOGIN_REQ);
      }
    }
    List<String> failed = messages("imps-auth: login failed ");
    assertThat(failed).isNotEmpty().allMatch(l -> FAILREGEX.matcher(l).matches());
    assertThat(failed).hasSizeLessThan(100);
    assertThat(warnings()).isEqualTo(failed.size());

    // A second later the next line first says how many were left out.
    clock.advance(Duration.ofSeconds(1));
    try (FrameClient c = FrameClient.connectFrom("127.0.0.2", server.port())) {
      c.send(new LoginRequest(uniqueName("nobody"), "wrong-password"));
      c.expectError(6, CommandType.C_LOGIN_REQ);
    }
    assertThat(messages("imps-auth: suppressed "))
        .containsExactly("imps-auth: suppressed " + (100 - failed.size()) + " lines");
  }

  @Test
  void throttleHitsAndRegistrationsAreLogged() throws IOException {
    String name = uniqueName("logged");
    try (FrameClient c = FrameClient.connectFrom("127.0.0.2", server.port())) {
      c.send(new RegisterRequest(name, PASSWORD, Gender.UNSPECIFIED, ""));
      c.expect(new RegisterResponse(true));
      for (int i = 0; i < 5; i++) {
        c.send(new LoginRequest(name, "wrong-password"));
        c.expectError(6, CommandType.C_LOGIN_REQ);
      }
      c.send(new LoginRequest(name, "wrong-password"));
      c.expectError(10, CommandType.C_LOGIN_REQ);
    }
    assertThat(messages("imps-auth: registered "))
        .containsExactly("imps-auth: registered user=" + name + " addr=127.0.0.2");
    assertThat(messages("imps-auth: login failed "))
        .hasSize(5)
        .allMatch(l -> l.equals("imps-auth: login failed user=" + name + " addr=127.0.0.2"));
    assertThat(messages("imps-auth: login throttled "))
        .containsExactly(
            "imps-auth: login throttled user=" + name + " addr=127.0.0.2 limit=account")
        .allMatch(l -> FAILREGEX.matcher(l).matches());
  }

  private List<String> messages(String prefix) {
    return lines.list.stream()
        .map(ILoggingEvent::getFormattedMessage)
        .filter(m -> m.startsWith(prefix))
        .toList();
  }

  private long warnings() {
    return lines.list.stream()
        .filter(e -> e.getLevel() == Level.WARN)
        .filter(e -> e.getFormattedMessage().startsWith("imps-auth: login failed "))
        .count();
  }
}
