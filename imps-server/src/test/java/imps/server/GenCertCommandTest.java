package imps.server;

import static org.assertj.core.api.Assertions.assertThat;

import imps.server.transport.tls.TestCa;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ./imps gen-cert}: a self-signed pair for the names given, the key private to its owner.
 */
class GenCertCommandTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void writesACertificateForTheNamesAndAPrivateKey() throws Exception {
    Path cert = dir.resolve("tls/cert.pem");
    Path key = dir.resolve("tls/key.pem");
    int code =
        run(
            "--cert",
            cert.toString(),
            "--key",
            key.toString(),
            "--name",
            "chat.example.org",
            "--name",
            "192.0.2.10",
            "--days",
            "30");
    assertThat(code).isEqualTo(0);
    X509Certificate c = TestCa.certificate(Files.readString(cert));
    assertThat(names(c)).containsExactly("chat.example.org", "192.0.2.10");
    assertThat(c.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1"); // serverAuth
    assertThat(c.getNotAfter().getTime() - c.getNotBefore().getTime())
        .isBetween(30 * 86_400_000L, 31 * 86_400_000L);
    assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
    assertThat(out.toString())
        .contains("--set tls.cert-file=" + cert)
        .contains("--tls --ca-file " + cert);
  }

  @Test
  void localhostAndLoopbackByDefaultAndNoSilentOverwrite() throws Exception {
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    assertThat(run("--cert", cert.toString(), "--key", key.toString())).isEqualTo(0);
    X509Certificate first = TestCa.certificate(Files.readString(cert));
    assertThat(names(first)).containsExactly("localhost", "127.0.0.1");

    assertThat(run("--cert", cert.toString(), "--key", key.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("exists; use --force");
    assertThat(TestCa.certificate(Files.readString(cert))).isEqualTo(first);

    assertThat(run("--cert", cert.toString(), "--key", key.toString(), "--force")).isEqualTo(0);
    assertThat(TestCa.certificate(Files.readString(cert)).getSerialNumber())
        .isNotEqualTo(first.getSerialNumber());
  }

  private static List<String> names(X509Certificate c) throws Exception {
    return c.getSubjectAlternativeNames().stream().map(e -> (String) e.get(1)).toList();
  }

  private int run(String... args) {
    return new CommandLine(new GenCertCommand())
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute(args);
  }
}
