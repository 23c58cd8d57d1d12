package imps.client.cli;

import imps.client.ClientOptions;
import imps.client.ClientTls;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** The connection options every command takes. */
public final class ServerOptions {
  /** The server's default TLS port ({@code tls.port}). */
  static final int DEFAULT_TLS_PORT = 7643;

  @Option(
      names = "--host",
      defaultValue = ClientOptions.DEFAULT_HOST,
      description =
          "server host (default: ${DEFAULT-VALUE}); with TLS, the name its certificate must hold")
  String host;

  @Option(
      names = "--port",
      description =
          "server port (default: "
              + ClientOptions.DEFAULT_PORT
              + ", "
              + DEFAULT_TLS_PORT
              + " with --tls)")
  Integer port;

  @Option(
      names = "--timeout",
      defaultValue = "10",
      paramLabel = "SECONDS",
      description = "limit for each reply (default: ${DEFAULT-VALUE})")
  int timeoutSeconds;

  @Option(
      names = "--tls",
      description =
          "connect with TLS; the server's certificate must be valid, for --host, and from a CA"
              + " the JDK trusts (or --ca-file)")
  boolean tls;

  @Option(
      names = "--ca-file",
      paramLabel = "FILE",
      converter = CaFile.class,
      description =
          "trust the CA certificate(s) in this PEM file, or a self-signed server certificate"
              + " (./imps gen-cert), instead of the JDK's CAs; implies --tls")
  ClientTls caFile;

  ClientOptions.Builder clientOptions() {
    ClientTls mode = caFile != null ? caFile : tls ? ClientTls.systemTrust() : ClientTls.OFF;
    int defaultPort = mode.enabled() ? DEFAULT_TLS_PORT : ClientOptions.DEFAULT_PORT;
    return ClientOptions.builder()
        .host(host)
        .port(port != null ? port : defaultPort)
        .requestTimeout(Duration.ofSeconds(Math.max(1, timeoutSeconds)))
        .tls(mode);
  }

  /** Reads {@code --ca-file} as it is parsed, so that a bad file is a usage error (exit 2). */
  static final class CaFile implements ITypeConverter<ClientTls> {
    @Override
    public ClientTls convert(String value) {
      try {
        return ClientTls.trustingPemFile(Path.of(value));
      } catch (IOException e) {
        throw new TypeConversionException("cannot read " + value + " (" + e.getMessage() + ")");
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
