package imps.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import imps.protocol.Gender;
import imps.server.config.ServerConfig;
import imps.server.transport.tls.TestCa;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK over TLS: it logs in to a server whose certificate its CA file vouches for, by IP address
 * or DNS name, and refuses one that has expired, names another host, or comes from a CA it does not
 * trust. Each test gives the server the certificate it needs and reloads it (as SIGHUP does).
 */
class TlsClientIT {
  private static final String PW = "secret1";
  private static final AtomicInteger SEQ = new AtomicInteger();

  @TempDir static Path dir;
  static TestCa ca;
  static Path caFile;
  static Path certFile;
  static Path keyFile;
  static TestServer server;

  final List<ImpsClient> clients = new ArrayList<>();

  @BeforeAll
  static void startServer() {
    ca = TestCa.create();
    caFile = ca.writeCertificate(dir.resolve("ca.pem"));
    certFile = dir.resolve("cert.pem");
    keyFile = dir.resolve("key.pem");
    ca.issue("localhost", "127.0.0.1").writeTo(certFile, keyFile);
    server =
        new TestServer(
            dir.resolve("db"),
            b ->
                b.with(ServerConfig.Key.TLS_CERT_FILE, certFile.toString())
                    .with(ServerConfig.Key.TLS_KEY_FILE, keyFile.toString())
                    .with(ServerConfig.Key.TLS_RELOAD_CHECK, Duration.ofHours(1)));
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void validCertificate() throws Exception {
    serve(ca.issue("localhost", "127.0.0.1"));
  }

  @AfterEach
  void closeClients() {
    clients.forEach(ImpsClient::close);
  }

  @Test
  void aClientTrustingTheCaFileRegistersAndLogsIn() throws Exception {
    ImpsClient c = client("127.0.0.1", server.tlsPort(), ClientTls.trustingPemFile(caFile));
    c.connect().join();
    String user = "tls" + SEQ.incrementAndGet();
    assertThat(c.register(user, PW, Gender.UNSPECIFIED, "").join()).isTrue();
    c.login(user, PW).join();
    assertThat(c.state()).isEqualTo(ImpsClient.State.LOGGED_IN);
    assertThat(c.friends().join()).isEmpty();
  }

  @Test
  void theHostNameIsCheckedAsADnsNameToo() throws Exception {
    ImpsClient c =
        client("localhost", server.tlsPort(), ClientTls.trusting(List.of(ca.certificate())));
    c.connect().join();
    assertThat(c.register("tls" + SEQ.incrementAndGet(), PW, Gender.UNSPECIFIED, "").join())
        .isTrue();
  }

  @Test
  void anExpiredCertificateIsRefused() throws Exception {
    Instant now = Instant.now();
    serve(
        ca.issue(
            BigInteger.valueOf(90_001),
            now.minus(Duration.ofDays(30)),
            now.minus(Duration.ofDays(1)),
            "localhost",
            "127.0.0.1"));
    assertRefused(
        "127.0.0.1", ClientTls.trustingPemFile(caFile), "the server's certificate has expired");
  }

  @Test
  void aCertificateForAnotherHostIsRefused() throws Exception {
    serve(ca.issue("chat.example.org", "192.0.2.1"));
    assertRefused(
        "127.0.0.1",
        ClientTls.trustingPemFile(caFile),
        "the server's certificate is not for 127.0.0.1");
    assertRefused(
        "localhost",
        ClientTls.trustingPemFile(caFile),
        "the server's certificate is not for localhost");
  }

  @Test
  void aCertificateFromAnotherCaIsRefused() {
    TestCa other = TestCa.create();
    assertRefused(
        "127.0.0.1",
        ClientTls.trusting(List.of(other.certificate())),
        "the server's certificate is not issued by a trusted CA");
  }

  @Test
  void tlsToThePlainPortFailsCleanly() throws Exception {
    ImpsClient c = client("127.0.0.1", server.port(), ClientTls.trustingPemFile(caFile));
    assertThatThrownBy(() -> c.connect().join())
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(ImpsConnectionException.class)
        .hasMessageStartingWith("TLS handshake with 127.0.0.1:" + server.port() + " failed: ");
  }

  @Test
  void optionsSayWhatTheyTrustWithoutListingIt() throws Exception {
    assertThat(ClientOptions.builder().build().tls()).isEqualTo(ClientTls.OFF);
    assertThat(ClientTls.trustingPemFile(caFile))
        .hasToString("ClientTls[1 trusted certificate(s)]");
    assertThatThrownBy(() -> ClientTls.trustingPemFile(keyFile))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private void assertRefused(String host, ClientTls tls, String reason) {
    ImpsClient c = client(host, server.tlsPort(), tls);
    assertThatThrownBy(() -> c.connect().join())
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(ImpsConnectionException.class)
        .hasMessage("TLS handshake with " + host + ":" + server.tlsPort() + " failed: " + reason);
    assertThat(c.state()).isEqualTo(ImpsClient.State.DISCONNECTED);
  }

  private static void serve(TestCa.Issued certificate) throws Exception {
    certificate.writeTo(certFile, keyFile);
    server.reloadTls();
  }

  private ImpsClient client(String host, int port, ClientTls tls) {
    ImpsClient c =
        new ImpsClient(
            ClientOptions.builder()
                .host(host)
                .port(port)
                .tls(tls)
                .requestTimeout(Duration.ofSeconds(5))
                .build(),
            new Recorder());
    clients.add(c);
    return c;
  }
}
