package imps.server.transport;

import static imps.server.ImpsServerExtension.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import imps.protocol.Gender;
import imps.protocol.message.HeartbeatRequest;
import imps.protocol.message.HeartbeatResponse;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.LoginResponse;
import imps.protocol.message.RegisterRequest;
import imps.protocol.message.RegisterResponse;
import imps.server.ImpsServer;
import imps.server.ServerFixture;
import imps.server.ServerProcess;
import imps.server.StartupException;
import imps.server.config.ServerConfig;
import imps.server.config.ServerConfig.Key;
import imps.server.transport.tls.TestCa;
import imps.server.transport.tls.TlsFiles;
import imps.testsupport.FrameClient;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TLS listener (finding H2): a client that trusts the CA logs in over TLS 1.3 or 1.2 with a
 * forward-secret AEAD suite; plaintext on the TLS port is never served; the certificate is reloaded
 * when its files change or on demand (SIGHUP), without touching established connections; {@code
 * tls.required} leaves no plain listener; unusable settings stop the server with a clear message.
 */
class TlsIT {
  private static final AtomicInteger NAMES = new AtomicInteger();

  @TempDir Path dir;
  private TlsFiles tls;
  private ServerFixture running;
  private final List<AutoCloseable> opened = new java.util.ArrayList<>();

  @BeforeEach
  void makeCertificate() {
    tls = TlsFiles.writeTo(dir);
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : opened) {
      c.close();
    }
    if (running != null) {
      running.close();
    }
  }

  @Test
  void aClientTrustingTheCaLogsInOverTls13() throws IOException {
    ImpsServer server = start(b -> {});
    String user = register(server);
    SSLSocket socket = tls.ca().connect(server.tlsPort());
    assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
    FrameClient c = open(socket);
    c.send(new LoginRequest(user, PASSWORD));
    c.expect(LoginResponse.class);
    c.send(new HeartbeatRequest(user, List.of()));
    c.expect(HeartbeatResponse.class);
  }

  @Test
  void tls12GetsAForwardSecretAeadSuiteAndNothingWeaker() throws IOException {
    ImpsServer server = start(b -> {});
    SSLSocket tls12 = socket(server.tlsPort());
    tls12.setEnabledProtocols(new String[] {"TLSv1.2"});
    TestCa.handshake(tls12);
    opened.add(tls12);
    assertThat(tls12.getSession().getProtocol()).isEqualTo("TLSv1.2");
    assertThat(tls12.getSession().getCipherSuite()).startsWith("TLS_ECDHE_").contains("GCM");

    // RSA key exchange (no forward secrecy) and CBC suites are not offered.
    SSLSocket weak = socket(server.tlsPort());
    opened.add(weak);
    weak.setEnabledProtocols(new String[] {"TLSv1.2"});
    weak.setEnabledCipherSuites(
        new String[] {"TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"});
    assertThatThrownBy(() -> TestCa.handshake(weak)).isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void tls11AndTls10ClientsAreRefusedWithAProtocolVersionAlert() throws IOException {
    ImpsServer server = start(b -> {});
    assertTls11AndTls10HellosRefused(server.tlsPort());
  }

  @Test
  void sighupMakesARunningServerProcessServeTheRewrittenCertificate() throws Exception {
    // A real server process, reloading only when told (the files are checked hourly here).
    ServerProcess process =
        ServerProcess.start(
            dir.resolve("process-data"),
            List.of(
                "tls.cert-file=" + tls.certFile(),
                "tls.key-file=" + tls.keyFile(),
                "tls.port=0",
                "tls.reload-check=1h"));
    try {
      int port = process.tlsPort();
      SSLSocket oldSocket = tls.ca().connect(port);
      BigInteger oldSerial = TestCa.serialOf(oldSocket);
      FrameClient old = open(oldSocket);

      TestCa.Issued next = tls.ca().issue("localhost", "127.0.0.1");
      next.writeTo(tls.certFile(), tls.keyFile());
      assertThat(serialOfNewConnection(port)).as("before SIGHUP").isEqualTo(oldSerial);

      process.hangup();
      await()
          .atMost(10, TimeUnit.SECONDS)
          .until(() -> serialOfNewConnection(port).equals(next.serial()));
      // The connection made before the reload goes on, with its certificate.
      String user = "hup" + NAMES.incrementAndGet();
      old.send(new RegisterRequest(user, PASSWORD, Gender.UNSPECIFIED, "h@example.org"));
      old.expect(new RegisterResponse(true));
      assertThat(TestCa.serialOf(oldSocket)).isEqualTo(oldSerial);
      assertThat(process.isAlive()).isTrue();
      assertThat(String.join("\n", process.output()))
          .contains("TLS certificate reloaded")
          .doesNotContain("ERROR");
    } finally {
      process.kill9();
    }
  }

  @Test
  void aPlainFrameOnTheTlsPortGetsNoReplyAndTheConnectionIsClosed() throws IOException {
    ImpsServer server = start(b -> {});
    String user = register(server);
    try (Socket s = new Socket("127.0.0.1", server.tlsPort())) {
      s.getOutputStream().write(FrameClient.encode(new LoginRequest(user, PASSWORD)));
      byte[] answer = readToEnd(s, Duration.ofSeconds(5));
      // At most a TLS alert record (content type 21); never an IMPS frame, which starts with 'O'.
      assertThat(answer.length == 0 || answer[0] == 21)
          .as("answer %s", java.util.HexFormat.of().formatHex(answer))
          .isTrue();
    }
  }

  @Test
  void anEditedCertificateIsPickedUpByNewConnectionsWhileOldOnesKeepWorking() throws IOException {
    ImpsServer server = start(b -> b.with(Key.TLS_RELOAD_CHECK, Duration.ofMillis(200)));
    String user = register(server);
    SSLSocket oldSocket = tls.ca().connect(server.tlsPort());
    BigInteger oldSerial = TestCa.serialOf(oldSocket);
    FrameClient old = open(oldSocket);
    old.send(new LoginRequest(user, PASSWORD));
    old.expect(LoginResponse.class);

    TestCa.Issued next = tls.ca().issue("localhost", "127.0.0.1");
    assertThat(next.serial()).isNotEqualTo(oldSerial);
    next.writeTo(tls.certFile(), tls.keyFile());

    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> serialOfNewConnection(server).equals(next.serial()));
    old.send(new HeartbeatRequest(user, List.of()));
    old.expect(HeartbeatResponse.class);
    assertThat(TestCa.serialOf(oldSocket)).isEqualTo(oldSerial);
  }

  @Test
  void reloadOnDemandKeepsTheCurrentPairUntilBothFilesMatch() throws Exception {
    ImpsServer server = start(b -> b.with(Key.TLS_RELOAD_CHECK, Duration.ofHours(1)));
    BigInteger first = serialOfNewConnection(server);
    TestCa.Issued next = tls.ca().issue("localhost", "127.0.0.1");

    // Half replaced: the new certificate with the old key. Refused; the old pair serves on.
    TestCa.write(tls.certFile(), next.chainPem());
    server.reloadTls().get(10, TimeUnit.SECONDS);
    assertThat(serialOfNewConnection(server)).isEqualTo(first);

    TestCa.write(tls.keyFile(), next.keyPem());
    server.reloadTls().get(10, TimeUnit.SECONDS);
    assertThat(serialOfNewConnection(server)).isEqualTo(next.serial());
  }

  @Test
  void tlsRequiredLeavesNoPlainListener() throws IOException {
    int plainPort;
    try (ServerSocket probe = new ServerSocket(0)) {
      plainPort = probe.getLocalPort();
    }
    ImpsServer server = start(b -> b.with(Key.TLS_REQUIRED, true).port(plainPort));
    assertThat(server.port()).isEqualTo(-1);
    assertThatThrownBy(() -> new Socket("127.0.0.1", plainPort).close())
        .isInstanceOf(ConnectException.class);
    FrameClient c = open(tls.ca().connect(server.tlsPort()));
    String user = "tlsonly" + NAMES.incrementAndGet();
    c.send(new RegisterRequest(user, PASSWORD, Gender.UNSPECIFIED, "t@example.org"));
    c.expect(new RegisterResponse(true));
  }

  @Test
  void aProxyHeaderInTheClearMayPrecedeTheHandshake() throws IOException {
    // HAProxy passing TLS through (mode tcp, send-proxy-v2) writes its header before the client's
    // ClientHello.
    ImpsServer server = start(b -> b.with(Key.PROXY_PROTOCOL, true));
    Socket raw = new Socket("127.0.0.1", server.tlsPort());
    raw.getOutputStream()
        .write("PROXY TCP4 192.0.2.7 127.0.0.1 40000 7643\r\n".getBytes(StandardCharsets.US_ASCII));
    SSLSocket s =
        (SSLSocket)
            tls.ca()
                .clientContext()
                .getSocketFactory()
                .createSocket(raw, "127.0.0.1", server.tlsPort(), true);
    FrameClient c = open(TestCa.handshake(s));
    String user = "proxied" + NAMES.incrementAndGet();
    c.send(new RegisterRequest(user, PASSWORD, Gender.UNSPECIFIED, "p@example.org"));
    c.expect(new RegisterResponse(true));
  }

  @Test
  void unusableSettingsStopTheServerWithAMessage() {
    assertThatThrownBy(() -> start(b -> b.with(Key.TLS_KEY_FILE, "")))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("only tls.cert-file is set");
    assertThatThrownBy(
            () ->
                start(
                    b ->
                        b.with(Key.TLS_CERT_FILE, "")
                            .with(Key.TLS_KEY_FILE, "")
                            .with(Key.TLS_REQUIRED, true)))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("tls.required is set");
    assertThatThrownBy(() -> start(b -> b.with(Key.TLS_CERT_FILE, dir + "/missing.pem")))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("missing.pem: no such file");
    TestCa.write(tls.keyFile(), tls.ca().issue("localhost").keyPem());
    assertThatThrownBy(() -> start(b -> {}))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("is not the key of the first certificate");
  }

  /**
   * A drain ends a TLS connection the way TLS ends one (close_notify, RFC 8446 section 6.1) before
   * the TCP FIN: without it a client cannot tell the end of the stream from a truncation. (JSSE's
   * SSLSocket reads either as the end of the stream; Netty's SslHandler tells them apart.)
   */
  @Test
  void aDrainEndsATlsConnectionWithCloseNotify() throws Exception {
    ImpsServer server = start(b -> {});
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      SslHandler ssl =
          new JdkSslContext(tls.ca().clientContext(), true, ClientAuth.NONE)
              .newHandler(ByteBufAllocator.DEFAULT, "localhost", server.tlsPort());
      new Bootstrap()
          .group(group)
          .channel(NioSocketChannel.class)
          .handler(ssl)
          .connect("127.0.0.1", server.tlsPort())
          .sync();
      ssl.handshakeFuture().get(10, TimeUnit.SECONDS);
      Thread closer = new Thread(running::close, "test-drain");
      closer.start();
      // Succeeds when the server's close_notify arrives; fails when the connection ends without.
      assertThat(ssl.sslCloseFuture().await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(ssl.sslCloseFuture().cause()).isNull();
      closer.join(30_000);
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }

  // Helpers

  /** A server with TLS on a free port from the test CA's files, then {@code settings}. */
  private ImpsServer start(Consumer<ServerConfig.Builder> settings) {
    ServerConfig.Builder b = tls.serve(ServerFixture.testConfig(dir.resolve("data")));
    settings.accept(b);
    running = ServerFixture.start(ImpsServer.start(b.build(), Clock.systemUTC()));
    return running.server();
  }

  /** Registers a new user over TLS; returns the name. */
  private String register(ImpsServer server) throws IOException {
    String user = "tls" + NAMES.incrementAndGet();
    try (FrameClient c = new FrameClient(tls.ca().connect(server.tlsPort()))) {
      c.send(new RegisterRequest(user, PASSWORD, Gender.UNSPECIFIED, "t@example.org"));
      c.expect(new RegisterResponse(true));
    }
    return user;
  }

  private BigInteger serialOfNewConnection(ImpsServer server) throws IOException {
    return serialOfNewConnection(server.tlsPort());
  }

  private BigInteger serialOfNewConnection(int port) throws IOException {
    try (SSLSocket s = tls.ca().connect(port)) {
      return TestCa.serialOf(s);
    }
  }

  /**
   * On {@code port}, hellos of TLS 1.1 and 1.0 get a protocol_version alert. The JDK's own client
   * no longer offers TLS 1.1 or 1.0 (jdk.tls.disabledAlgorithms), so the ClientHello is written by
   * hand. The same hello with version TLS 1.2 gets a ServerHello: it is well formed, and only its
   * version makes the difference.
   */
  static void assertTls11AndTls10HellosRefused(int port) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(clientHello(0x0303));
      byte[] head = s.getInputStream().readNBytes(11);
      assertThat(head).as("answer to a TLS 1.2 hello").hasSize(11);
      assertThat(head[0]).as("a handshake record").isEqualTo((byte) 22);
      assertThat(head[5]).as("ServerHello").isEqualTo((byte) 2);
      assertThat(new byte[] {head[9], head[10]}).as("TLS 1.2").containsExactly(3, 3);
    }
    for (int version : new int[] {0x0302, 0x0301}) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        s.getOutputStream().write(clientHello(version));
        byte[] answer = readToEnd(s, Duration.ofSeconds(10));
        // A fatal alert record (type 21, level 2) protocol_version (70), then the close; never a
        // ServerHello.
        assertThat(answer)
            .as(
                "answer to a hello of version %04x: %s",
                version, java.util.HexFormat.of().formatHex(answer))
            .hasSizeGreaterThanOrEqualTo(7);
        assertThat(answer[0]).isEqualTo((byte) 21);
        assertThat(answer[5]).isEqualTo((byte) 2);
        assertThat(answer[6]).isEqualTo((byte) 70);
      }
    }
  }

  /**
   * A TLS record holding a ClientHello of {@code version} (0x0303 TLS 1.2, 0x0302 TLS 1.1, 0x0301
   * TLS 1.0) without supported_versions, so the version field alone is what the client offers. It
   * offers ECDHE suites with AES-GCM (TLS 1.2) and with AES-CBC (what TLS 1.0 and 1.1 can use), the
   * usual groups and signature schemes.
   */
  static byte[] clientHello(int version) {
    ByteArrayOutputStream ext = new ByteArrayOutputStream();
    byte[] host = "localhost".getBytes(StandardCharsets.US_ASCII);
    extension(ext, 0x0000, concat(u16(host.length + 3), new byte[] {0}, u16(host.length), host));
    extension(ext, 0x000a, concat(u16(6), u16(0x001d), u16(0x0017), u16(0x0018)));
    extension(ext, 0x000b, new byte[] {1, 0});
    extension(
        ext,
        0x000d,
        concat(
            u16(12), u16(0x0403), u16(0x0804), u16(0x0401), u16(0x0503), u16(0x0805), u16(0x0501)));
    extension(ext, 0x0017, new byte[0]);
    byte[] suites =
        concat(
            u16(0xc02b),
            u16(0xc02f),
            u16(0xc009),
            u16(0xc013),
            u16(0xc00a),
            u16(0xc014),
            u16(0x002f),
            u16(0x00ff));
    byte[] random = new byte[32];
    new java.security.SecureRandom().nextBytes(random);
    byte[] extensions = ext.toByteArray();
    byte[] body =
        concat(
            u16(version),
            random,
            new byte[] {0}, // no session id
            u16(suites.length),
            suites,
            new byte[] {1, 0}, // compression: null only
            u16(extensions.length),
            extensions);
    byte[] handshake =
        concat(new byte[] {1, 0, (byte) (body.length >> 8), (byte) body.length}, body);
    return concat(new byte[] {22, 3, 1}, u16(handshake.length), handshake);
  }

  private static void extension(ByteArrayOutputStream out, int type, byte[] data) {
    out.writeBytes(u16(type));
    out.writeBytes(u16(data.length));
    out.writeBytes(data);
  }

  private static byte[] u16(int v) {
    return new byte[] {(byte) (v >> 8), (byte) v};
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private SSLSocket socket(int port) throws IOException {
    return (SSLSocket) tls.ca().clientContext().getSocketFactory().createSocket("127.0.0.1", port);
  }

  private FrameClient open(Socket s) throws IOException {
    FrameClient c = new FrameClient(s);
    opened.add(c);
    return c;
  }

  /** Everything the server sends until it closes; fails if it has not closed by {@code limit}. */
  static byte[] readToEnd(Socket s, Duration limit) throws IOException {
    long deadline = System.nanoTime() + limit.toNanos();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    InputStream in = s.getInputStream();
    byte[] buf = new byte[4096];
    while (true) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0) {
        throw new AssertionError("still open after " + limit);
      }
      s.setSoTimeout((int) left);
      int n;
      try {
        n = in.read(buf);
      } catch (SocketTimeoutException e) {
        continue;
      } catch (IOException e) {
        return out.toByteArray(); // reset: closed
      }
      if (n < 0) {
        return out.toByteArray();
      }
      out.write(buf, 0, n);
    }
  }
}
