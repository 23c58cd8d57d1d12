package imps.client;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import javax.net.ssl.SSLException;

/** Builds the Netty TLS context of a {@link ClientTls}: TLS 1.3/1.2, host name verified. */
final class ClientTlsContexts {
  private ClientTlsContexts() {}

  static SslContext build(ClientTls tls) {
    SslContextBuilder b =
        SslContextBuilder.forClient()
            .sslProvider(SslProvider.JDK)
            .protocols("TLSv1.3", "TLSv1.2")
            // As HTTPS: the certificate must name the host connected to (DNS name or IP address).
            .endpointIdentificationAlgorithm("HTTPS");
    if (!tls.trusted().isEmpty()) {
      b.trustManager(tls.trusted());
    }
    try {
      return b.build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
    }
  }
}
