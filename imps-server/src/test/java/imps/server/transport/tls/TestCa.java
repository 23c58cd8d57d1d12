package imps.server.transport.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority made at test time (Bouncy Castle): its own certificate, which clients are
 * told to trust, and server certificates it issues with chosen names, serials and validity, written
 * as the PEM files {@code tls.cert-file} and {@code tls.key-file} read. Also the client side of the
 * server tests: TLS sockets that trust this CA and verify the host name.
 */
public final class TestCa {
  private static final AtomicLong SERIALS = new AtomicLong(1000);

  private final KeyPair key;
  private final X509Certificate certificate;

  private TestCa(KeyPair key, X509Certificate certificate) {
    this.key = key;
    this.certificate = certificate;
  }

  /** A new CA, valid from an hour ago for a day. */
  public static TestCa create() {
    try {
      KeyPair key = ecKey();
      X500Name name = new X500Name("CN=IMPS Test CA " + SERIALS.incrementAndGet());
      Instant now = Instant.now();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              name,
              BigInteger.valueOf(1),
              Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(Duration.ofDays(1))),
              name,
              key.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      return new TestCa(key, sign(b, key.getPrivate()));
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The CA's certificate. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** The CA's certificate as PEM. */
  public String certificatePem() {
    return pem(certificate);
  }

  /** Writes the CA's certificate to {@code file}, as a client's {@code --ca-file}. */
  public Path writeCertificate(Path file) {
    write(file, certificatePem());
    return file;
  }

  /** A server certificate for {@code names}, valid from an hour ago for a day. */
  public Issued issue(String... names) {
    Instant now = Instant.now();
    return issue(
        BigInteger.valueOf(SERIALS.incrementAndGet()),
        now.minus(Duration.ofHours(1)),
        now.plus(Duration.ofDays(1)),
        names);
  }

  /** A server certificate for {@code names}, valid from {@code notBefore} to {@code notAfter}. */
  public Issued issue(BigInteger serial, Instant notBefore, Instant notAfter, String... names) {
    try {
      KeyPair leafKey = ecKey();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              new X500Name(certificate.getSubjectX500Principal().getName()),
              serial,
              Date.from(notBefore),
              Date.from(notAfter),
              new X500Name("CN=" + names[0]),
              leafKey.getPublic());
      List<GeneralName> alt = new ArrayList<>();
      for (String n : names) {
        boolean ip = n.matches("[0-9.]+") || n.contains(":");
        alt.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, n));
      }
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(alt.toArray(GeneralName[]::new)));
      X509Certificate leaf = sign(b, key.getPrivate());
      return new Issued(leaf, leafKey.getPrivate(), certificate);
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A TLS client context that trusts this CA only. */
  public SSLContext clientContext() {
    try {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      trust.setCertificateEntry("ca", certificate);
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A TLS socket to {@code 127.0.0.1:port} that trusts this CA and checks that the certificate is
   * for 127.0.0.1, handshake done.
   */
  public SSLSocket connect(int port) throws IOException {
    SSLSocket s = (SSLSocket) clientContext().getSocketFactory().createSocket("127.0.0.1", port);
    return handshake(s);
  }

  /** Verifies the host name as HTTPS does, and completes the handshake. */
  public static SSLSocket handshake(SSLSocket s) throws IOException {
    SSLParameters p = s.getSSLParameters();
    p.setEndpointIdentificationAlgorithm("HTTPS");
    s.setSSLParameters(p);
    s.setTcpNoDelay(true);
    s.setSoTimeout(10_000);
    s.startHandshake();
    return s;
  }

  /** The serial of the certificate the server presented on {@code s}. */
  public static BigInteger serialOf(SSLSocket s) throws IOException {
    return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber();
  }

  /** A server certificate and its key. */
  public record Issued(X509Certificate certificate, PrivateKey key, X509Certificate issuer) {
    public BigInteger serial() {
      return certificate.getSerialNumber();
    }

    /** The chain as {@code tls.cert-file} holds it: this certificate, then the CA's. */
    public String chainPem() {
      return pem(certificate) + pem(issuer);
    }

    /** The key as unencrypted PKCS#8 PEM. */
    public String keyPem() {
      try {
        return pem(new JcaPKCS8Generator(key, null));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /**
     * Writes the chain and the key; each file is replaced in one step (a rename), as a deployment
     * tool would.
     */
    public void writeTo(Path certFile, Path keyFile) {
      write(certFile, chainPem());
      write(keyFile, keyPem());
    }

    @Override
    public String toString() {
      return "Issued[" + certificate.getSubjectX500Principal() + ", serial " + serial() + "]";
    }
  }

  /** Writes {@code text} to a temporary file next to {@code file} and renames it over it. */
  public static void write(Path file, String text) {
    try {
      Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "tmp", ".pem");
      Files.writeString(tmp, text, StandardCharsets.US_ASCII);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** PEM of a certificate, key or PEM generator. */
  public static String pem(Object o) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** Reads a PEM certificate with the JDK alone. */
  public static X509Certificate certificate(String pem) {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(
                  new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair ecKey() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer)
      throws GeneralSecurityException, IOException {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
    } catch (org.bouncycastle.operator.OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }
}
