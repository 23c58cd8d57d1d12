package imps.client.cli;

import imps.client.ClientOptions;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The connection options every command takes. */
public final class ServerOptions {
  @Option(
      names = "--host",
      defaultValue = ClientOptions.DEFAULT_HOST,
      description = "server host (default: ${DEFAULT-VALUE})")
  String host;

  @Option(
      names = "--port",
      defaultValue = "7600",
      description = "server port (default: ${DEFAULT-VALUE})")
  int port;

  @Option(
      names = "--timeout",
      defaultValue = "10",
      paramLabel = "SECONDS",
      description = "limit for each reply (default: ${DEFAULT-VALUE})")
  int timeoutSeconds;

  ClientOptions.Builder clientOptions() {
    return ClientOptions.builder()
        .host(host)
        .port(port)
        .requestTimeout(Duration.ofSeconds(Math.max(1, timeoutSeconds)));
  }
}
