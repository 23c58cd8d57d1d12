package imps.server.transport.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed server certificate and its key, for trying TLS out ({@code ./imps gen-cert}): an
 * ECDSA P-256 key, the host names and IP addresses given as subject alternative names (the first
 * also as the common name), usable for TLS servers only. A client trusts it by being given the
 * certificate itself as its CA file.
 *
 * @param certificatePem the certificate, PEM ({@code BEGIN CERTIFICATE})
 * @param privateKeyPem the key, unencrypted PKCS#8 PEM ({@code BEGIN PRIVATE KEY})
 * @param serial the certificate's serial number
 */
public record SelfSignedCertificate(
    String certificatePem, String privateKeyPem, BigInteger serial) {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  /** The names a certificate for trying it out on one machine holds. */
  public static final List<String> LOCAL_NAMES = List.of("localhost", "127.0.0.1");

  /**
   * Makes a new key and certificate, valid from an hour before now (clock skew) for {@code
   * validity}.
   *
   * @param names host names and IP address literals, at least one
   */
  public static SelfSignedCertificate generate(List<String> names, Duration validity, Clock clock) {
    if (names.isEmpty()) {
      throw new IllegalArgumentException("a certificate needs at least one host name or address");
    }
    try {
      SecureRandom random = new SecureRandom();
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), random);
      KeyPair pair = generator.generateKeyPair();
      X500Name subject =
          new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, names.get(0)).build();
      BigInteger serial = new BigInteger(127, random).add(BigInteger.ONE);
      Instant now = clock.instant();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              subject,
              serial,
              Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(validity)),
              subject,
              pair.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      builder.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      builder.addExtension(Extension.subjectAlternativeName, false, alternativeNames(names));
      X509CertificateHolder cert =
          builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
      return new SelfSignedCertificate(
          pem(cert), pem(new JcaPKCS8Generator(pair.getPrivate(), null)), serial);
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException("cannot make a certificate: " + e.getMessage(), e);
    }
  }

  /** Each name as an IP address entry when it is an address literal, else as a DNS name. */
  private static GeneralNames alternativeNames(List<String> names) {
    List<GeneralName> out = new ArrayList<>();
    for (String name : names) {
      boolean address = IPV4.matcher(name).matches() || name.contains(":");
      out.add(new GeneralName(address ? GeneralName.iPAddress : GeneralName.dNSName, name));
    }
    return new GeneralNames(out.toArray(GeneralName[]::new));
  }

  private static String pem(Object o) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(o);
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return "SelfSignedCertificate[serial " + serial.toString(16) + "]"; // never the key
  }
}
