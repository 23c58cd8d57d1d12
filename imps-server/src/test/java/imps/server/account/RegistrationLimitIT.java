package imps.server.account;

import static imps.server.ImpsServerExtension.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.ErrorCode;
import imps.protocol.Gender;
import imps.protocol.message.ErrorResponse;
import imps.protocol.message.ImpsMessage;
import imps.protocol.message.RegisterRequest;
import imps.protocol.message.RegisterResponse;
import imps.server.ImpsServerExtension;
import imps.server.config.ServerConfig.Key;
import imps.testsupport.FrameClient;
import imps.testsupport.MutableClock;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Review finding M3: registrations were limited to 20 a minute per address, per node, with no
 * global cap. The per-address limit keeps its default here (the test settings relax it); the global
 * one is 3 a minute.
 */
class RegistrationLimitIT {
  private final MutableClock clock = new MutableClock();

  @RegisterExtension
  final ImpsServerExtension server =
      ImpsServerExtension.withSettings(
              b ->
                  b.set(Key.REGISTRATIONS_PER_ADDRESS, Key.REGISTRATIONS_PER_ADDRESS.defaultText())
                      .set(Key.REGISTRATION_WINDOW, Key.REGISTRATION_WINDOW.defaultText())
                      .set(Key.REGISTRATIONS_PER_MINUTE, "3"))
          .withClock(clock);

  @Test
  void oneAddressRegistersOneAccountInTenMinutes() throws IOException {
    int registered = 0;
    try (FrameClient c = FrameClient.connectFrom("127.0.0.2", server.port())) {
      // Twenty attempts a minute for ten minutes.
      for (int minute = 0; minute < 10; minute++) {
        for (int i = 0; i < 20; i++) {
          if (register(c, uniqueName("flood")) instanceof RegisterResponse r && r.registered()) {
            registered++;
          }
        }
        clock.advance(Duration.ofMinutes(1));
      }
      assertThat(registered).as("accounts registered in ten minutes").isEqualTo(1);
      // Ten minutes after the first, the next one.
      assertThat(register(c, uniqueName("later"))).isEqualTo(new RegisterResponse(true));
    }
  }

  @Test
  void aTakenNameDoesNotUseUpTheAllowance() throws IOException {
    String taken = uniqueName("taken");
    try (FrameClient c = FrameClient.connectFrom("127.0.0.3", server.port())) {
      assertThat(register(c, taken)).isEqualTo(new RegisterResponse(true));
    }
    try (FrameClient c = FrameClient.connectFrom("127.0.0.4", server.port())) {
      assertThat(register(c, taken)).isEqualTo(new RegisterResponse(false));
      assertThat(register(c, uniqueName("free"))).isEqualTo(new RegisterResponse(true));
      assertThat(register(c, uniqueName("more")))
          .isEqualTo(
              ErrorResponse.of(ErrorCode.TOO_MANY_REQUESTS, imps.protocol.CommandType.C_REGISTER));
    }
  }

  @Test
  void allAddressesTogetherAreCappedPerMinute() throws IOException {
    for (String address : new String[] {"127.0.0.5", "127.0.0.6", "127.0.0.7"}) {
      try (FrameClient c = FrameClient.connectFrom(address, server.port())) {
        assertThat(register(c, uniqueName("many"))).isEqualTo(new RegisterResponse(true));
      }
    }
    try (FrameClient c = FrameClient.connectFrom("127.0.0.8", server.port())) {
      assertThat(register(c, uniqueName("many")))
          .isEqualTo(
              ErrorResponse.of(ErrorCode.TOO_MANY_REQUESTS, imps.protocol.CommandType.C_REGISTER));
      // One comes back every 20 s; the refusal did not use up this address's own allowance.
      clock.advance(Duration.ofSeconds(20));
      assertThat(register(c, uniqueName("many"))).isEqualTo(new RegisterResponse(true));
    }
  }

  private static ImpsMessage register(FrameClient c, String name) throws IOException {
    c.send(new RegisterRequest(name, "secret1", Gender.UNSPECIFIED, ""));
    return (ImpsMessage) c.next();
  }
}
