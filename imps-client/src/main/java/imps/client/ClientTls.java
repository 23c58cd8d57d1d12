package imps.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Whether a client speaks TLS, and whom it trusts. With TLS on, the connection is TLS 1.3 or 1.2,
 * and the server's certificate must be valid, issued by a trusted CA and name the host the client
 * connects to ({@link ClientOptions#host()}: a DNS name or an IP address), as HTTPS checks it.
 * There is no way to turn those checks off.
 *
 * @param enabled whether to speak TLS
 * @param trusted the CA certificates (or self-signed server certificates) to trust; empty trusts
 *     the JDK's default CAs
 */
public record ClientTls(boolean enabled, List<X509Certificate> trusted) {
  /** Plain TCP. */
  public static final ClientTls OFF = new ClientTls(false, List.of());

  public ClientTls {
    trusted = List.copyOf(trusted);
    if (!enabled && !trusted.isEmpty()) {
      throw new IllegalArgumentException("trusted certificates given, but TLS is off");
    }
  }

  /** TLS, trusting the JDK's default CAs (a server with a certificate from a public CA). */
  public static ClientTls systemTrust() {
    return new ClientTls(true, List.of());
  }

  /** TLS, trusting {@code cas} only (a private CA, or a self-signed server certificate). */
  public static ClientTls trusting(Collection<X509Certificate> cas) {
    if (cas.isEmpty()) {
      throw new IllegalArgumentException("no certificate to trust");
    }
    return new ClientTls(true, List.copyOf(cas));
  }

  /**
   * TLS, trusting the certificates in a PEM file ({@code BEGIN CERTIFICATE} blocks) only.
   *
   * @throws IOException when the file cannot be read
   * @throws IllegalArgumentException when it holds no certificate
   */
  public static ClientTls trustingPemFile(Path caFile) throws IOException {
    Objects.requireNonNull(caFile, "caFile");
    List<X509Certificate> cas = new ArrayList<>();
    try (InputStream in = Files.newInputStream(caFile)) {
      Collection<? extends Certificate> read =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      for (Certificate c : read) {
        cas.add((X509Certificate) c);
      }
    } catch (CertificateException e) {
      throw new IllegalArgumentException(caFile + " is not a PEM certificate file", e);
    }
    if (cas.isEmpty()) {
      throw new IllegalArgumentException(caFile + " holds no certificate");
    }
    return trusting(cas);
  }

  @Override
  public String toString() {
    if (!enabled) {
      return "ClientTls[off]";
    }
    return trusted.isEmpty()
        ? "ClientTls[system CAs]"
        : "ClientTls[" + trusted.size() + " trusted certificate(s)]";
  }
}
