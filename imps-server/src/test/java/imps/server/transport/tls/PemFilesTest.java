package imps.server.transport.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/** The key formats tls.key-file accepts, and the errors for files that cannot be used. */
class PemFilesTest {
  private static final Path CERT = Path.of("cert.pem");
  private static final Path KEY = Path.of("key.pem");

  @Test
  void aPkcs8EcKeyAndItsChainAreRead() {
    TestCa ca = TestCa.create();
    TestCa.Issued issued = ca.issue("localhost");
    PemFiles.KeyAndChain pair = PemFiles.parse(CERT, issued.chainPem(), KEY, issued.keyPem());
    assertThat(pair.chain()).hasSize(2);
    assertThat(pair.leaf().getSerialNumber()).isEqualTo(issued.serial());
    assertThat(pair.toString()).doesNotContain("PRIVATE");
  }

  @Test
  void aTraditionalEcKeyWithItsParametersBlockIsRead() throws Exception {
    TestCa.Issued issued = TestCa.create().issue("localhost");
    // As `openssl ecparam -genkey -name prime256v1` writes it: EC PARAMETERS, then EC PRIVATE KEY.
    String params =
        "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n";
    // SEC 1 with the curve named inside and no public key (which the parser must not need).
    java.security.interfaces.ECPrivateKey ec = (java.security.interfaces.ECPrivateKey) issued.key();
    String sec1 =
        TestCa.pem(
            new org.bouncycastle.util.io.pem.PemObject(
                "EC PRIVATE KEY",
                new org.bouncycastle.asn1.sec.ECPrivateKey(
                        256,
                        ec.getS(),
                        new org.bouncycastle.asn1.x9.X962Parameters(
                            org.bouncycastle.asn1.sec.SECObjectIdentifiers.secp256r1))
                    .getEncoded()));
    PemFiles.KeyAndChain pair = PemFiles.parse(CERT, issued.chainPem(), KEY, params + sec1);
    assertThat(pair.key().getAlgorithm()).isEqualTo("EC");
  }

  @Test
  void aPkcs1RsaKeyIsRead() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair rsa = g.generateKeyPair();
    String cert = TestCa.pem(selfSigned(rsa, "SHA256withRSA"));
    String pkcs1 = traditional(rsa.getPrivate());
    assertThat(pkcs1).contains("BEGIN RSA PRIVATE KEY");
    assertThat(PemFiles.parse(CERT, cert, KEY, pkcs1).key().getAlgorithm()).isEqualTo("RSA");
  }

  @Test
  void theSelfSignedPairOfGenCertIsRead() {
    SelfSignedCertificate s =
        SelfSignedCertificate.generate(
            SelfSignedCertificate.LOCAL_NAMES, Duration.ofDays(1), Clock.systemUTC());
    PemFiles.KeyAndChain pair = PemFiles.parse(CERT, s.certificatePem(), KEY, s.privateKeyPem());
    assertThat(pair.leaf().getSerialNumber()).isEqualTo(s.serial());
    assertThat(s.privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(s.toString()).doesNotContain("PRIVATE");
  }

  @Test
  void unusableFilesAreRefusedNamingTheFile() throws Exception {
    TestCa ca = TestCa.create();
    TestCa.Issued a = ca.issue("localhost");
    TestCa.Issued b = ca.issue("localhost");
    assertThatThrownBy(() -> PemFiles.parse(CERT, a.chainPem(), KEY, b.keyPem()))
        .isInstanceOf(TlsException.class)
        .hasMessage("tls.key-file key.pem is not the key of the first certificate in cert.pem");
    assertThatThrownBy(() -> PemFiles.parse(CERT, a.keyPem(), KEY, a.keyPem()))
        .hasMessageContaining("tls.cert-file cert.pem: no certificate in it");
    assertThatThrownBy(() -> PemFiles.parse(CERT, a.chainPem(), KEY, a.chainPem()))
        .hasMessageContaining("tls.key-file key.pem: no private key in it");
    String encrypted =
        TestCa.pem(
            new JcaPKCS8Generator(
                a.key(),
                new JceOpenSSLPKCS8EncryptorBuilder(
                        PKCSObjectIdentifiers.pbeWithSHAAnd3_KeyTripleDES_CBC)
                    .setPassword("pw".toCharArray())
                    .build()));
    assertThatThrownBy(() -> PemFiles.parse(CERT, a.chainPem(), KEY, encrypted))
        .hasMessageContaining("the key is encrypted");
    assertThatThrownBy(() -> PemFiles.read("tls.key-file", Path.of("/nonexistent/key.pem")))
        .hasMessage("tls.key-file /nonexistent/key.pem: no such file");
  }

  private static String traditional(java.security.PrivateKey key) throws Exception {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(key);
    }
    return out.toString();
  }

  private static X509Certificate selfSigned(KeyPair pair, String algorithm) throws Exception {
    X500Name name = new X500Name("CN=localhost");
    Instant now = Instant.now();
    return new JcaX509CertificateConverter()
        .getCertificate(
            new JcaX509v3CertificateBuilder(
                    name,
                    BigInteger.TEN,
                    Date.from(now.minusSeconds(60)),
                    Date.from(now.plusSeconds(3600)),
                    name,
                    pair.getPublic())
                .build(new JcaContentSignerBuilder(algorithm).build(pair.getPrivate())));
  }
}
