package imps.bench;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;

/** The TLS context of a run with {@code --tls}: as the SDK's, TLS 1.3/1.2, host name verified. */
final class BenchTls {
  private BenchTls() {}

  /**
   * The client context for {@code options}, or {@code null} without TLS.
   *
   * @throws IllegalArgumentException when the CA file cannot be read (a usage error)
   */
  static SslContext context(BenchOptions options) {
    if (!options.useTls()) {
      return null;
    }
    SslContextBuilder b =
        SslContextBuilder.forClient()
            .sslProvider(SslProvider.JDK)
            .protocols("TLSv1.3", "TLSv1.2")
            .endpointIdentificationAlgorithm("HTTPS");
    try {
      if (options.caFile != null) {
        try (InputStream in = Files.newInputStream(options.caFile)) {
          b.trustManager(in);
        }
      }
      return b.build();
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "cannot use --ca-file " + options.caFile + ": " + e.getMessage(), e);
    }
  }
}
