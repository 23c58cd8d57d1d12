package imps.client;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of one {@link ImpsClient}. Build with {@link #builder()}; every setting has a default.
 *
 * @param host server host name or address
 * @param port server port
 * @param connectTimeout limit of one TCP connect attempt
 * @param requestTimeout limit for the reply to any request; a request is never left pending longer
 * @param heartbeatInterval period of automatic heartbeats while logged in; {@link Duration#ZERO}
 *     disables them. Keep it well below the server's idle timeout (default 180 s).
 * @param reconnect what to do when the connection of a logged-in client drops
 */
public record ClientOptions(
    String host,
    int port,
    Duration connectTimeout,
    Duration requestTimeout,
    Duration heartbeatInterval,
    ReconnectPolicy reconnect) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 7600;

  public ClientOptions {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
    Objects.requireNonNull(reconnect, "reconnect");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("requestTimeout must be positive");
    }
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("connectTimeout must be positive");
    }
    if (heartbeatInterval.isNegative()) {
      throw new IllegalArgumentException("heartbeatInterval must not be negative");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Mutable builder; not thread-safe. */
  public static final class Builder {
    private String host = DEFAULT_HOST;
    private int port = DEFAULT_PORT;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration requestTimeout = Duration.ofSeconds(10);
    private Duration heartbeatInterval = Duration.ofSeconds(60);
    private ReconnectPolicy reconnect = ReconnectPolicy.DISABLED;

    private Builder() {}

    public Builder host(String host) {
      this.host = host;
      return this;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
      return this;
    }

    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = requestTimeout;
      return this;
    }

    public Builder heartbeatInterval(Duration heartbeatInterval) {
      this.heartbeatInterval = heartbeatInterval;
      return this;
    }

    public Builder reconnect(ReconnectPolicy reconnect) {
      this.reconnect = reconnect;
      return this;
    }

    public ClientOptions build() {
      return new ClientOptions(
          host, port, connectTimeout, requestTimeout, heartbeatInterval, reconnect);
    }
  }
}
