package imps.server.transport.tls;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads a PEM certificate chain and a PEM private key as the {@code tls.cert-file} and {@code
 * tls.key-file} settings name them, and checks that the key belongs to the first certificate. Keys
 * may be PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) or SEC 1
 * ({@code BEGIN EC PRIVATE KEY}, with or without an {@code EC PARAMETERS} block), not encrypted.
 * Errors name the file and say what is wrong, never the key's content.
 */
final class PemFiles {
  private PemFiles() {}

  /** A certificate chain, the server's own certificate first, and its private key. */
  record KeyAndChain(PrivateKey key, List<X509Certificate> chain) {
    KeyAndChain {
      chain = List.copyOf(chain);
    }

    X509Certificate leaf() {
      return chain.get(0);
    }

    @Override
    public String toString() {
      return "KeyAndChain[" + leaf().getSubjectX500Principal() + "]"; // never the key
    }
  }

  /** Reads both files as they are now; {@code certPem} and {@code keyPem} are their contents. */
  static KeyAndChain parse(Path certFile, String certPem, Path keyFile, String keyPem) {
    List<X509Certificate> chain = certificates(certFile, certPem);
    PrivateKey key = privateKey(keyFile, keyPem);
    checkPair(key, chain.get(0), keyFile, certFile);
    return new KeyAndChain(key, chain);
  }

  /** The text of {@code file}; the setting is named in the error. */
  static String read(String setting, Path file) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new TlsException(setting + " " + file + ": no such file");
    } catch (IOException e) {
      throw new TlsException(setting + " " + file + ": cannot read it (" + e + ")", e);
    }
  }

  static List<X509Certificate> certificates(Path file, String pem) {
    List<X509Certificate> chain = new ArrayList<>();
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    try (PEMParser parser = new PEMParser(reader(pem))) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof X509CertificateHolder h) {
          chain.add(converter.getCertificate(h));
        }
      }
    } catch (IOException | CertificateException | RuntimeException e) {
      throw new TlsException("tls.cert-file " + file + ": not a PEM certificate chain", e);
    }
    if (chain.isEmpty()) {
      throw new TlsException(
          "tls.cert-file " + file + ": no certificate in it (expected BEGIN CERTIFICATE)");
    }
    return chain;
  }

  static PrivateKey privateKey(Path file, String pem) {
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try (PEMParser parser = new PEMParser(reader(pem))) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
        if (o instanceof PEMKeyPair pair) {
          // Only the private part: an EC key written without its public key has none to convert.
          return converter.getPrivateKey(pair.getPrivateKeyInfo());
        }
        if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
          throw new TlsException(
              "tls.key-file "
                  + file
                  + ": the key is encrypted; give it unencrypted"
                  + " (openssl pkey -in KEY -out PLAIN.key) and protect the file instead");
        }
        // Anything else (EC PARAMETERS, a certificate) is not the key; read on.
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof TlsException t) {
        throw t;
      }
      throw new TlsException("tls.key-file " + file + ": not a PEM private key", e);
    }
    throw new TlsException(
        "tls.key-file " + file + ": no private key in it (expected BEGIN ... PRIVATE KEY)");
  }

  /**
   * Refuses a key that does not belong to the certificate, the usual slip when one of the two files
   * has been replaced and the other not yet: signs a random challenge and verifies it with the
   * certificate's public key. Key types without a signature check here are let through.
   */
  private static void checkPair(PrivateKey key, X509Certificate leaf, Path keyFile, Path certFile) {
    String algorithm = signatureAlgorithm(key.getAlgorithm());
    PublicKey pub = leaf.getPublicKey();
    if (algorithm == null) {
      return;
    }
    try {
      byte[] challenge = new byte[32];
      new SecureRandom().nextBytes(challenge);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(pub);
      verifier.update(challenge);
      if (!verifier.verify(signature)) {
        throw mismatch(keyFile, certFile);
      }
    } catch (GeneralSecurityException e) { // e.g. an EC key and an RSA certificate
      throw mismatch(keyFile, certFile);
    }
  }

  private static String signatureAlgorithm(String keyAlgorithm) {
    return switch (keyAlgorithm.toUpperCase(Locale.ROOT)) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      case "ED25519", "ED448", "EDDSA" -> "EdDSA";
      default -> null;
    };
  }

  private static TlsException mismatch(Path keyFile, Path certFile) {
    return new TlsException(
        "tls.key-file " + keyFile + " is not the key of the first certificate in " + certFile);
  }

  private static Reader reader(String pem) {
    return new StringReader(pem);
  }
}
