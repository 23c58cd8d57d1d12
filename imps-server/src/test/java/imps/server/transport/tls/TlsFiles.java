package imps.server.transport.tls;

import imps.server.config.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The TLS files of a test server, in one directory: a new {@link TestCa}'s certificate ({@code
 * ca.pem}, a client's {@code --ca-file}) and the certificate it issued for {@code localhost} and
 * {@code 127.0.0.1} with its key ({@code cert.pem}, {@code key.pem}: {@code tls.cert-file} and
 * {@code tls.key-file}). Shared by the server's TLS tests and the other modules' (through the
 * server's test jar, as {@link TestCa}).
 */
public record TlsFiles(Path dir, TestCa ca, Path certFile, Path keyFile, Path caFile) {

  /** A new CA and a certificate for localhost and 127.0.0.1, written into {@code dir}. */
  public static TlsFiles writeTo(Path dir) {
    TestCa ca = TestCa.create();
    Path caFile = ca.writeCertificate(dir.resolve("ca.pem"));
    Path certFile = dir.resolve("cert.pem");
    Path keyFile = dir.resolve("key.pem");
    ca.issue("localhost", "127.0.0.1").writeTo(certFile, keyFile);
    return new TlsFiles(dir, ca, certFile, keyFile, caFile);
  }

  /**
   * As {@link #writeTo}, into a new temporary directory named from {@code prefix}: for a static
   * field that a server extension's settings read before JUnit's {@code @TempDir} is there. {@link
   * #deleteDir} removes it.
   */
  public static TlsFiles inTempDir(String prefix) {
    try {
      return writeTo(Files.createTempDirectory(prefix));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The settings that serve this certificate and key on a TLS port of the server's choosing: {@code
   * tls.cert-file}, {@code tls.key-file}, {@code tls.port} 0.
   */
  public ServerConfig.Builder serve(ServerConfig.Builder b) {
    return b.with(ServerConfig.Key.TLS_CERT_FILE, certFile.toString())
        .with(ServerConfig.Key.TLS_KEY_FILE, keyFile.toString())
        .with(ServerConfig.Key.TLS_PORT, 0);
  }

  /** Deletes the directory and everything in it (what the test wrote there too). */
  public void deleteDir() throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
