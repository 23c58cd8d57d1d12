package imps.server.transport;

import static imps.server.ImpsServerExtension.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import imps.protocol.Gender;
import imps.protocol.message.HeartbeatRequest;
import imps.protocol.message.HeartbeatResponse;
import imps.protocol.message.LoginRequest;
import imps.protocol.message.LoginResponse;
import imps.protocol.message.RegisterRequest;
import imps.protocol.message.RegisterResponse;
import imps.server.ImpsServer;
import imps.server.ServerFixture;
import imps.server.config.ServerConfig;
import imps.server.config.ServerConfig.Key;
import imps.server.transport.tls.TestCa;
import imps.server.transport.tls.TlsFiles;
import imps.testsupport.WebSocketFrameClient;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web port with the server's TLS settings: it serves HTTPS and WSS with the same certificate
 * and the same policy as the TLS port (TLS 1.3 or 1.2; 1.1 and 1.0 refused), and plain HTTP on the
 * same port as well unless {@code tls.required}.
 */
class WebTlsIT {
  @TempDir Path dir;
  private TlsFiles tls;
  private ServerFixture running;

  @BeforeEach
  void makeCertificate() {
    tls = TlsFiles.writeTo(dir);
  }

  @AfterEach
  void stop() {
    if (running != null) {
      running.close();
    }
  }

  private ImpsServer start(Consumer<ServerConfig.Builder> settings) {
    ServerConfig.Builder b = tls.serve(ServerFixture.testConfig(dir.resolve("data")));
    settings.accept(b);
    running = ServerFixture.start(ImpsServer.start(b.build(), Clock.systemUTC()));
    return running.server();
  }

  private HttpResponse<String> get(URI uri) throws Exception {
    HttpClient https = HttpClient.newBuilder().sslContext(tls.ca().clientContext()).build();
    return https.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void thePageComesOverHttpsAndItsPolicyAllowsTheSecureWebSocket() throws Exception {
    ImpsServer server = start(b -> {});
    int port = server.webPort();
    assertThat(server.webUrl()).isEqualTo("https://127.0.0.1:" + port + "/");
    HttpResponse<String> page = get(URI.create("https://localhost:" + port + "/"));
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<script type=\"module\"");
    assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
        .contains("wss://localhost:" + port);
    // The same certificate as the TLS port's, TLS 1.3.
    try (SSLSocket web = tls.ca().connect(port);
        SSLSocket tcp = tls.ca().connect(server.tlsPort())) {
      assertThat(web.getSession().getProtocol()).isEqualTo("TLSv1.3");
      assertThat(TestCa.serialOf(web)).isEqualTo(TestCa.serialOf(tcp));
    }
  }

  @Test
  void aSecureWebSocketLogsInAndIsRefusedAnOversizedMessageWith1009() {
    ImpsServer server = start(b -> {});
    URI wss = URI.create("wss://localhost:" + server.webPort() + "/ws");
    String name = ServerFixture.uniqueName("wss");
    try (WebSocketFrameClient c = WebSocketFrameClient.connect(wss, tls.ca().clientContext())) {
      c.send(new RegisterRequest(name, PASSWORD, Gender.FEMALE, ""));
      c.expect(new RegisterResponse(true));
      c.send(new LoginRequest(name, PASSWORD));
      c.expect(LoginResponse.class);
      c.send(new HeartbeatRequest(name, List.of()));
      c.expect(new HeartbeatResponse());
      try {
        c.sendRaw(new byte[70_000]);
      } catch (CompletionException e) {
        // The server may close while the client is still sending the rest of the message.
      }
      c.expectError(8, 0);
      assertThat(c.expectClosed(Duration.ofSeconds(5)).status()).isEqualTo(1009);
    }
  }

  @Test
  void plainHttpStillWorksOnTheSamePortUnlessTlsIsRequired() throws Exception {
    ImpsServer server = start(b -> {});
    HttpResponse<String> page =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.webPort() + "/"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    try (WebSocketFrameClient c = WebSocketFrameClient.connect(server.webPort())) {
      String name = ServerFixture.uniqueName("ws");
      c.send(new RegisterRequest(name, PASSWORD, Gender.MALE, ""));
      c.expect(new RegisterResponse(true));
    }
  }

  @Test
  void withTlsRequiredThePortSpeaksOnlyTls() throws Exception {
    ImpsServer server = start(b -> b.with(Key.TLS_REQUIRED, true));
    int port = server.webPort();
    assertThat(get(URI.create("https://localhost:" + port + "/")).statusCode()).isEqualTo(200);
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.getOutputStream()
          .write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      byte[] answer = TlsIT.readToEnd(s, Duration.ofSeconds(10));
      // At most a TLS alert record (content type 21); never an HTTP response.
      assertThat(answer.length == 0 || answer[0] == 21)
          .as("answer %s", new String(answer, StandardCharsets.ISO_8859_1))
          .isTrue();
    }
  }

  @Test
  void tls11AndTls10HellosAreRefusedWithAProtocolVersionAlert() throws IOException {
    ImpsServer server = start(b -> {});
    // As on the TLS port (TlsIT): the same hello with version TLS 1.2 gets a ServerHello.
    TlsIT.assertTls11AndTls10HellosRefused(server.webPort());
  }
}
