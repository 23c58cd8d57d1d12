package imps.server.transport.tls;

import imps.server.config.ServerConfig;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's TLS context, built from the PEM files of {@code tls.cert-file} and {@code
 * tls.key-file} and rebuilt when they change: a thread of its own reads both files every {@code
 * tls.reload-check} and loads them again when their content differs; {@link #reload} does so at
 * once (SIGHUP). Each new connection's {@link SslHandler} comes from the context current at that
 * moment, so established connections keep the session they negotiated and nothing is dropped. A
 * pair that cannot be loaded (half replaced, a key that does not match) is logged and the current
 * context stays.
 *
 * <p>TLS 1.3 and 1.2 only, forward-secret AEAD cipher suites only, no ALPN, JDK provider (which has
 * no TLS compression at all).
 */
public final class TlsContexts implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TlsContexts.class);

  /** The protocol versions offered; older ones are refused in the handshake. */
  public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  /**
   * TLS 1.3's suites and TLS 1.2's ECDHE suites with AES-GCM or ChaCha20-Poly1305 (Mozilla's
   * "intermediate" choice); those the JDK lacks are left out.
   */
  static final List<String> CIPHERS =
      List.of(
          "TLS_AES_128_GCM_SHA256",
          "TLS_AES_256_GCM_SHA384",
          "TLS_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  private final Path certFile;
  private final Path keyFile;
  private final ScheduledExecutorService checker;
  private volatile Loaded current;
  // Checker thread only: what the files held when last tried, and the last problem logged.
  private String lastDigest;
  private String lastProblem;

  /** A built context and what it was built from. */
  private record Loaded(SslContext context, X509Certificate leaf) {}

  private TlsContexts(Path certFile, Path keyFile, Duration checkEvery) {
    this.certFile = certFile;
    this.keyFile = keyFile;
    PemPair files = PemPair.read(certFile, keyFile);
    this.current = load(files);
    this.lastDigest = files.digest();
    log.info("TLS certificate loaded: {}", describe(current.leaf()));
    warnIfNotValidNow(current.leaf());
    this.checker =
        Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("imps-tls", true));
    long every = checkEvery.toMillis();
    checker.scheduleWithFixedDelay(() -> check(false), every, every, TimeUnit.MILLISECONDS);
  }

  /**
   * The TLS context of {@code config}, or empty when {@code tls.cert-file} and {@code tls.key-file}
   * are both empty (TLS off).
   *
   * @throws TlsException when only one file is set, {@code tls.required} is set without them, or
   *     the files cannot be read or do not form a certificate and its key
   */
  public static Optional<TlsContexts> open(ServerConfig config) {
    String cert = config.get(ServerConfig.Key.TLS_CERT_FILE);
    String key = config.get(ServerConfig.Key.TLS_KEY_FILE);
    if (cert.isEmpty() && key.isEmpty()) {
      if (config.get(ServerConfig.Key.TLS_REQUIRED)) {
        throw new TlsException("tls.required is set, but tls.cert-file and tls.key-file are not");
      }
      return Optional.empty();
    }
    if (cert.isEmpty() || key.isEmpty()) {
      throw new TlsException(
          "TLS needs both tls.cert-file and tls.key-file; only "
              + (cert.isEmpty() ? "tls.key-file" : "tls.cert-file")
              + " is set");
    }
    return Optional.of(
        new TlsContexts(
            Path.of(cert), Path.of(key), config.get(ServerConfig.Key.TLS_RELOAD_CHECK)));
  }

  /** A handler for a new connection, from the context current now. */
  public SslHandler newHandler(ByteBufAllocator alloc) {
    return current.context().newHandler(alloc);
  }

  /** The server's certificate in the current context. */
  public X509Certificate certificate() {
    return current.leaf();
  }

  /**
   * Loads the files again now, whether or not they changed (SIGHUP). Runs on the checker thread;
   * the future completes once done, whether the new pair was taken or refused (and logged).
   */
  public Future<?> reload() {
    return checker.submit(() -> check(true));
  }

  /** Stops checking the files. Connections made with the context are not affected. */
  @Override
  public void close() {
    checker.shutdownNow();
  }

  private void check(boolean forced) {
    try {
      PemPair files = PemPair.read(certFile, keyFile);
      if (!forced && files.digest().equals(lastDigest)) {
        return;
      }
      lastDigest = files.digest();
      Loaded next = load(files);
      current = next;
      lastProblem = null;
      log.info("TLS certificate reloaded: {}", describe(next.leaf()));
      warnIfNotValidNow(next.leaf());
    } catch (TlsException e) {
      // Logged once per problem: a file that stays missing must not fill the log every check.
      if (forced || !e.getMessage().equals(lastProblem)) {
        log.warn("TLS certificate not reloaded, keeping the current one: {}", e.getMessage());
      }
      lastProblem = e.getMessage();
    } catch (RuntimeException e) {
      log.warn("TLS certificate check failed", e);
    }
  }

  private static Loaded load(PemPair files) {
    PemFiles.KeyAndChain pair =
        PemFiles.parse(files.certFile(), files.certPem(), files.keyFile(), files.keyPem());
    try {
      SslContext context =
          SslContextBuilder.forServer(pair.key(), pair.chain())
              .sslProvider(SslProvider.JDK)
              .protocols(PROTOCOLS)
              .ciphers(CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
              .build();
      return new Loaded(context, pair.leaf());
    } catch (SSLException | RuntimeException e) {
      throw new TlsException(
          "cannot build a TLS context from " + files.certFile() + " and " + files.keyFile(), e);
    }
  }

  private static String describe(X509Certificate leaf) {
    return leaf.getSubjectX500Principal().getName()
        + ", serial "
        + leaf.getSerialNumber().toString(16)
        + ", valid until "
        + leaf.getNotAfter().toInstant();
  }

  private static void warnIfNotValidNow(X509Certificate leaf) {
    try {
      leaf.checkValidity();
    } catch (CertificateExpiredException | CertificateNotYetValidException e) {
      log.warn(
          "the TLS certificate is not valid now (valid {} to {}): clients will refuse it",
          leaf.getNotBefore().toInstant(),
          leaf.getNotAfter().toInstant());
    }
  }

  /** Both files' contents as read together, and a digest of them to notice a change. */
  private record PemPair(Path certFile, String certPem, Path keyFile, String keyPem) {
    static PemPair read(Path certFile, Path keyFile) {
      return new PemPair(
          certFile,
          PemFiles.read("tls.cert-file", certFile),
          keyFile,
          PemFiles.read("tls.key-file", keyFile));
    }

    String digest() {
      try {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(certPem.getBytes(StandardCharsets.US_ASCII));
        sha.update((byte) 0);
        sha.update(keyPem.getBytes(StandardCharsets.US_ASCII));
        return HexFormat.of().formatHex(sha.digest());
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e); // every JDK has SHA-256
      }
    }

    @Override
    public String toString() {
      return "PemPair[" + certFile + ", " + keyFile + "]"; // never the key
    }
  }
}
