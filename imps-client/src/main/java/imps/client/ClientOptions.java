package imps.client;

import imps.protocol.Limits;
import java.time.Clock;
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
 * @param maxAudioBytes the largest clip {@link ImpsClient#sendVoice} sends to a server that does
 *     not announce its {@code max-audio-bytes} (a legacy login; a server that opts into the
 *     extensions announces it in {@code S_HELLO}, and that limit is used instead); default {@value
 *     #DEFAULT_MAX_AUDIO_BYTES}, the server's default; 1..{@value #MAX_AUDIO_BYTES_LIMIT}, so that
 *     a clip always fits one frame
 * @param maxMessageChars the longest text (in Unicode code points) {@link ImpsClient#sendMessage}
 *     sends to a server that does not announce its {@code max-message-chars} (as above); default
 *     {@value #DEFAULT_MAX_MESSAGE_CHARS}; 1..{@value #MAX_MESSAGE_CHARS_LIMIT}
 * @param clock the time of the fixes {@link ImpsClient#shareLocation} sends and of clips
 * @param tls whether to speak TLS and whom to trust; {@link ClientTls#OFF} by default
 * @param legacy {@code true} to speak exactly the original protocol sheet; by default ({@code
 *     false}) the client opts into the lossless-delivery extensions at every login (acknowledged
 *     delivery, session resumption, idempotent sends, receipts; {@code docs/CLIENT.md}) and falls
 *     back to the sheet by itself when the server does not offer them
 */
public record ClientOptions(
    String host,
    int port,
    Duration connectTimeout,
    Duration requestTimeout,
    Duration heartbeatInterval,
    ReconnectPolicy reconnect,
    int maxAudioBytes,
    int maxMessageChars,
    Clock clock,
    ClientTls tls,
    boolean legacy) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 7600;

  /** The server's default {@code max-audio-bytes}: 60 KiB. */
  public static final int DEFAULT_MAX_AUDIO_BYTES = Limits.DEFAULT_MAX_AUDIO_BYTES;

  /** The largest {@link #maxAudioBytes} (as the server's): leaves room for the other fields. */
  public static final int MAX_AUDIO_BYTES_LIMIT = 65_000;

  /** The server's default {@code max-message-chars}. */
  public static final int DEFAULT_MAX_MESSAGE_CHARS = Limits.DEFAULT_MAX_MESSAGE_CHARS;

  /** The largest {@link #maxMessageChars} (as the server's). */
  public static final int MAX_MESSAGE_CHARS_LIMIT = 10_000;

  public ClientOptions {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
    Objects.requireNonNull(reconnect, "reconnect");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(tls, "tls");
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
    if (maxAudioBytes < 1 || maxAudioBytes > MAX_AUDIO_BYTES_LIMIT) {
      throw new IllegalArgumentException(
          "maxAudioBytes must be within 1.." + MAX_AUDIO_BYTES_LIMIT + ": " + maxAudioBytes);
    }
    if (maxMessageChars < 1 || maxMessageChars > MAX_MESSAGE_CHARS_LIMIT) {
      throw new IllegalArgumentException(
          "maxMessageChars must be within 1.." + MAX_MESSAGE_CHARS_LIMIT + ": " + maxMessageChars);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these settings, to change some of them. */
  public Builder toBuilder() {
    return new Builder()
        .host(host)
        .port(port)
        .connectTimeout(connectTimeout)
        .requestTimeout(requestTimeout)
        .heartbeatInterval(heartbeatInterval)
        .reconnect(reconnect)
        .maxAudioBytes(maxAudioBytes)
        .maxMessageChars(maxMessageChars)
        .clock(clock)
        .tls(tls)
        .legacy(legacy);
  }

  /** Mutable builder; not thread-safe. Validation happens in {@link #build()}. */
  public static final class Builder {
    private String host = DEFAULT_HOST;
    private int port = DEFAULT_PORT;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration requestTimeout = Duration.ofSeconds(10);
    private Duration heartbeatInterval = Duration.ofSeconds(60);
    private ReconnectPolicy reconnect = ReconnectPolicy.DISABLED;
    private int maxAudioBytes = DEFAULT_MAX_AUDIO_BYTES;
    private int maxMessageChars = DEFAULT_MAX_MESSAGE_CHARS;
    private Clock clock = Clock.systemDefaultZone();
    private ClientTls tls = ClientTls.OFF;
    private boolean legacy;

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

    public Builder maxAudioBytes(int maxAudioBytes) {
      this.maxAudioBytes = maxAudioBytes;
      return this;
    }

    public Builder maxMessageChars(int maxMessageChars) {
      this.maxMessageChars = maxMessageChars;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    public Builder tls(ClientTls tls) {
      this.tls = tls;
      return this;
    }

    public Builder legacy(boolean legacy) {
      this.legacy = legacy;
      return this;
    }

    public ClientOptions build() {
      return new ClientOptions(
          host,
          port,
          connectTimeout,
          requestTimeout,
          heartbeatInterval,
          reconnect,
          maxAudioBytes,
          maxMessageChars,
          clock,
          tls,
          legacy);
    }
  }
}
