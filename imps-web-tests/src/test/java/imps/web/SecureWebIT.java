package imps.web;

import static org.assertj.core.api.Assertions.assertThat;

import imps.server.config.ServerConfig;
import imps.server.transport.tls.SelfSignedCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The web client over the web port's own TLS (the server's certificate, here a self-signed one the
 * browser is told to accept): the page is a secure context (where the browser lets it read the
 * position and the microphone from any device), and the app logs in over {@code wss://}.
 */
class SecureWebIT {
  @Test
  void theAppRunsOverHttpsAndWss() throws Exception {
    Chromium.require();
    Path dir = Files.createTempDirectory("imps-web-tls");
    SelfSignedCertificate cert =
        SelfSignedCertificate.generate(
            SelfSignedCertificate.LOCAL_NAMES, Duration.ofDays(1), Clock.systemUTC());
    Path certFile = Files.writeString(dir.resolve("cert.pem"), cert.certificatePem());
    Path keyFile = Files.writeString(dir.resolve("key.pem"), cert.privateKeyPem());
    String me = "安全" + System.nanoTime() % 100_000;
    try (WebServer server =
        WebServer.start(
            b ->
                b.with(ServerConfig.Key.TLS_CERT_FILE, certFile.toString())
                    .with(ServerConfig.Key.TLS_KEY_FILE, keyFile.toString())
                    .with(ServerConfig.Key.TLS_PORT, 0))) {
      assertThat(server.url()).startsWith("https://127.0.0.1:");
      try (WebApp app = WebApp.open(server)) {
        assertThat(app.driver.getCurrentUrl()).startsWith("https://");
        assertThat(app.driver.executeScript("return window.isSecureContext")).isEqualTo(true);
        app.register(me);
        assertThat(app.connection()).isEqualTo("loggedIn");
        app.screenshot("https-main");
        assertThat(app.consoleProblems()).as("console errors and policy violations").isEmpty();
      }
    } finally {
      Files.deleteIfExists(dir.resolve("cert.pem"));
      Files.deleteIfExists(dir.resolve("key.pem"));
      Files.deleteIfExists(dir);
    }
  }
}
