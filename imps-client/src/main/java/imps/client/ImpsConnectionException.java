package imps.client;

import io.netty.channel.ConnectTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * The request could not be sent, or the connection closed before its reply arrived. Whether the
 * server applied the request is then unknown.
 */
public final class ImpsConnectionException extends ImpsClientException {
  private static final long serialVersionUID = 1L;

  public ImpsConnectionException(String message, Throwable cause) {
    super(message, cause);
  }

  /** "cannot connect to HOST:PORT: connection refused": the address once, the reason in words. */
  static ImpsConnectionException connectFailed(String host, int port, Throwable cause) {
    return new ImpsConnectionException(
        "cannot connect to " + host + ":" + port + ": " + reason(cause), cause);
  }

  private static String reason(Throwable t) {
    if (t instanceof ConnectTimeoutException) {
      return "connection timed out";
    }
    if (t instanceof UnknownHostException) {
      return "unknown host";
    }
    String m = t.getMessage();
    if (m == null || m.isBlank()) {
      return t.getClass().getSimpleName();
    }
    int address = m.indexOf(": /"); // Netty appends ": /127.0.0.1:7600"
    if (address > 0) {
      m = m.substring(0, address);
    }
    return m.substring(0, 1).toLowerCase(Locale.ROOT) + m.substring(1);
  }
}
