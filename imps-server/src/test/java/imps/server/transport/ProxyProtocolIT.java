package imps.server.transport;

import static imps.server.ImpsServerExtension.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.CommandType;
import imps.protocol.ErrorCode;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.LoginResponse;
import imps.server.ImpsServerExtension;
import imps.server.config.ServerConfig;
import imps.testsupport.FrameClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With {@code proxy-protocol} on, the address in a PROXY v1 or v2 header is the client's address:
 * per-address login throttling counts the real client, not the balancer in front.
 */
class ProxyProtocolIT {
  private static final String USER = "proxied";

  @RegisterExtension
  static final ImpsServerExtension server =
      ImpsServerExtension.withSettings(
          b ->
              b.with(ServerConfig.Key.PROXY_PROTOCOL, true)
                  .with(ServerConfig.Key.LOGIN_FAILURES_PER_ADDRESS, 2)
                  .with(ServerConfig.Key.LOGIN_FAILURES_PER_USER, 1000)
                  .with(ServerConfig.Key.LOGIN_TIMEOUT, Duration.ofSeconds(2)));

  @BeforeAll
  static void registerUser() throws IOException {
    try (FrameClient c = proxied(v1("192.0.2.1"))) {
      c.send(
          new imps.protocol.message.RegisterRequest(
              USER, PASSWORD, imps.protocol.Gender.UNSPECIFIED, "p@x.y"));
      c.expect(new imps.protocol.message.RegisterResponse(true));
    }
  }

  @Test
  void v1AndV2SourceAddressesAreThrottledSeparately() throws IOException {
    // Two failures from 203.0.113.7 (v1) exhaust that address...
    for (int i = 0; i < 2; i++) {
      try (FrameClient c = proxied(v1("203.0.113.7"))) {
        c.send(new LoginRequest(USER, "wrong-password"));
        c.expectError(ErrorCode.BAD_CREDENTIALS.code(), CommandType.C_LOGIN_REQ);
      }
    }
    try (FrameClient c = proxied(v2(new byte[] {(byte) 203, 0, 113, 7}))) {
      c.send(new LoginRequest(USER, PASSWORD));
      c.expectError(ErrorCode.TOO_MANY_REQUESTS.code(), CommandType.C_LOGIN_REQ);
    }
    // ...while another client behind the same balancer (same TCP peer) logs in.
    try (FrameClient c = proxied(v2(new byte[] {(byte) 198, 51, 100, 9}))) {
      c.send(new LoginRequest(USER, PASSWORD));
      c.expect(LoginResponse.class);
    }
  }

  @Test
  void aConnectionWithoutHeaderIsNeverServed() throws IOException {
    // Frames are not a PROXY header: the decoder waits for a header line that never comes, so
    // nothing is answered and the login timeout closes the connection.
    try (FrameClient c = FrameClient.connect(server.port())) {
      c.send(new LoginRequest(USER, PASSWORD));
      c.expectClosed(Duration.ofSeconds(5));
      assertThat(c.buffered()).isEmpty();
    }
  }

  @Test
  void aMalformedHeaderClosesTheConnection() throws IOException {
    try (FrameClient c = FrameClient.connect(server.port())) {
      c.sendRaw("PROXY NONSENSE\r\n".getBytes(StandardCharsets.US_ASCII));
      c.expectClosed(Duration.ofSeconds(1));
    }
  }

  @Test
  void aLocalV2HeaderKeepsTheSocketAddress() throws IOException {
    byte[] local = v2(null);
    try (FrameClient c = proxied(local)) {
      c.send(new LoginRequest(USER, PASSWORD));
      c.expect(LoginResponse.class);
    }
  }

  private static FrameClient proxied(byte[] header) throws IOException {
    FrameClient c = FrameClient.connect(server.port());
    c.sendRaw(header);
    return c;
  }

  private static byte[] v1(String source) {
    return ("PROXY TCP4 " + source + " 127.0.0.1 40000 7600\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** A v2 header: PROXY over TCP/IPv4 from {@code source}, or LOCAL when {@code null}. */
  private static byte[] v2(byte[] source) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(
        new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A});
    if (source == null) {
      out.write(0x20); // version 2, LOCAL
      out.write(0x00); // UNSPEC
      out.write(0);
      out.write(0);
      return out.toByteArray();
    }
    out.write(0x21); // version 2, PROXY
    out.write(0x11); // TCP over IPv4
    out.write(0);
    out.write(12);
    out.writeBytes(source);
    out.writeBytes(new byte[] {127, 0, 0, 1});
    out.writeBytes(new byte[] {(byte) 0x9c, 0x40, 0x1d, (byte) 0xb0});
    return out.toByteArray();
  }
}
