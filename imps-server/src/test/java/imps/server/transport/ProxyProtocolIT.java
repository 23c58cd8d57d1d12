package imps.server.transport;

import static imps.server.ImpsServerExtension.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import imps.protocol.CommandType;
import imps.protocol.ErrorCode;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.LoginResponse;
import imps.server.ImpsServerExtension;
import imps.server.config.ServerConfig;
import imps.testsupport.FrameClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * With {@code proxy-protocol} on, the address in a PROXY v1 or v2 header is the client's address:
 * per-address login throttling counts the real client, not the balancer in front. Only a peer in
 * {@code proxy-protocol.trusted} may send one, and only an IPv4 or IPv6 source is taken (finding
 * M2).
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

  /** Trusts 127.0.0.2 only, so the tests' usual source address 127.0.0.1 is not trusted. */
  @RegisterExtension
  static final ImpsServerExtension trustingAnotherPeer =
      ImpsServerExtension.withSettings(
          b ->
              b.with(ServerConfig.Key.PROXY_PROTOCOL, true)
                  .set(ServerConfig.Key.PROXY_PROTOCOL_TRUSTED, "127.0.0.2/32"));

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

  @Test
  void aPeerOutsideTheTrustedNetworksCannotSpoofItsAddress() throws IOException {
    // A direct client of a node behind a balancer writes a header with an address of its choice:
    // its connection is closed before anything is read, so it gets no fresh throttle key.
    for (int i = 0; i < 3; i++) {
      try (FrameClient c = FrameClient.connect(trustingAnotherPeer.port())) {
        try {
          c.sendRaw(v1("10.0.0." + (i + 1)));
          c.send(new LoginRequest(USER, "wrong-password"));
        } catch (IOException closedAlready) {
          // The server may close before the client has written all of it.
        }
        c.expectClosed(Duration.ofSeconds(2));
        assertThat(c.buffered()).isEmpty();
      }
    }
    // The trusted balancer (127.0.0.2 here) is served.
    try (FrameClient c = new FrameClient(from("127.0.0.2", trustingAnotherPeer.port()))) {
      c.sendRaw(v1("198.51.100.20"));
      c.send(
          new imps.protocol.message.RegisterRequest(
              "viaTrusted", PASSWORD, imps.protocol.Gender.UNSPECIFIED, "t@x.y"));
      c.expect(new imps.protocol.message.RegisterResponse(true));
    }
  }

  /** A PROXY header whose source is not an IP address leaves the peer's address in place. */
  @Nested
  class SourcesThatAreNotIpAddresses {
    private static final String FORGED = "a\n12:00:00.000 ERROR forged";

    /** One failed login per address locks that address out: shows which address was counted. */
    @RegisterExtension
    final ImpsServerExtension oneFailure =
        ImpsServerExtension.withSettings(
            b ->
                b.with(ServerConfig.Key.PROXY_PROTOCOL, true)
                    .with(ServerConfig.Key.LOGIN_FAILURES_PER_ADDRESS, 1)
                    .with(ServerConfig.Key.LOGIN_FAILURES_PER_USER, 1000));

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private Logger impsLogger;
    private Level impsLevel;

    @BeforeEach
    void captureLogs() throws IOException {
      impsLogger = (Logger) LoggerFactory.getLogger("imps");
      impsLevel = impsLogger.getLevel();
      impsLogger.setLevel(Level.DEBUG);
      logs.start();
      impsLogger.addAppender(logs);
      try (FrameClient c = proxiedTo(oneFailure, v2(null))) {
        c.send(
            new imps.protocol.message.RegisterRequest(
                USER, PASSWORD, imps.protocol.Gender.UNSPECIFIED, "p@x.y"));
        c.expect(new imps.protocol.message.RegisterResponse(true));
      }
    }

    @AfterEach
    void restoreLogs() {
      impsLogger.detachAppender(logs);
      impsLogger.setLevel(impsLevel);
    }

    @Test
    void anAfUnixSourceIsNotTakenAsTheAddressNorLogged() throws IOException {
      try (FrameClient c = proxiedTo(oneFailure, v2Unix(FORGED))) {
        c.send(new LoginRequest(USER, "wrong-password"));
        c.expectError(ErrorCode.BAD_CREDENTIALS.code(), CommandType.C_LOGIN_REQ);
        c.sendRaw(new byte[] {'O', 0, 0, 1, (byte) 0xEE}); // malformed: logged with the session
        c.next();
      }
      // The failure was counted against the peer's own address (127.0.0.1), not the forged text.
      assertPeerAddressIsLockedOut();
      assertThat(logs.list)
          .extracting(ILoggingEvent::getFormattedMessage)
          .isNotEmpty()
          .noneMatch(line -> line.contains("forged"));
    }

    @Test
    void anUnspecifiedSourceKeepsThePeerAddress() throws IOException {
      try (FrameClient c = proxiedTo(oneFailure, v2Unspec())) {
        c.send(new LoginRequest(USER, "wrong-password"));
        c.expectError(ErrorCode.BAD_CREDENTIALS.code(), CommandType.C_LOGIN_REQ);
      }
      assertPeerAddressIsLockedOut();
    }

    private void assertPeerAddressIsLockedOut() throws IOException {
      try (FrameClient c = proxiedTo(oneFailure, v2(null))) { // LOCAL: the peer's address
        c.send(new LoginRequest(USER, PASSWORD));
        c.expectError(ErrorCode.TOO_MANY_REQUESTS.code(), CommandType.C_LOGIN_REQ);
      }
    }
  }

  private static FrameClient proxiedTo(ImpsServerExtension target, byte[] header)
      throws IOException {
    FrameClient c = FrameClient.connect(target.port());
    c.sendRaw(header);
    return c;
  }

  /** A socket to {@code port} from the local address {@code source} (any of 127.0.0.0/8). */
  private static Socket from(String source, int port) throws IOException {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(source, 0));
    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    return s;
  }

  /** A v2 PROXY header over a UNIX stream socket whose source "path" is {@code source}. */
  private static byte[] v2Unix(String source) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(SIGNATURE);
    out.write(0x21); // version 2, PROXY
    out.write(0x31); // AF_UNIX, STREAM
    out.write(0);
    out.write(216);
    byte[] path = new byte[108];
    byte[] text = source.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(text, 0, path, 0, text.length);
    out.writeBytes(path);
    out.writeBytes(new byte[108]); // destination
    return out.toByteArray();
  }

  /** A v2 PROXY (not LOCAL) header with an unspecified address family and no addresses. */
  private static byte[] v2Unspec() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(SIGNATURE);
    out.write(0x21); // version 2, PROXY
    out.write(0x00); // AF_UNSPEC
    out.write(0);
    out.write(0);
    return out.toByteArray();
  }

  private static final byte[] SIGNATURE = {
    0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A
  };

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
