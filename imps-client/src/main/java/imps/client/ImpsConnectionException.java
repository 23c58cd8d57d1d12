package imps.client;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.ssl.NotSslRecordException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;
import javax.net.ssl.SSLHandshakeException;

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

  /**
   * "TLS handshake with HOST:PORT failed: the server's certificate has expired": why the server was
   * not accepted, in words.
   */
  static ImpsConnectionException tlsFailed(String host, int port, Throwable cause) {
    return new ImpsConnectionException(
        "TLS handshake with " + host + ":" + port + " failed: " + tlsReason(host, cause), cause);
  }

  private static String tlsReason(String host, Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof CertificateExpiredException) {
        return "the server's certificate has expired";
      }
      if (t instanceof CertificateNotYetValidException) {
        return "the server's certificate is not valid yet";
      }
      if (t instanceof NotSslRecordException) {
        return "the server does not speak TLS on this port";
      }
      String m = String.valueOf(t.getMessage());
      if (m.contains("No subject alternative") || m.contains("No name matching")) {
        return "the server's certificate is not for " + host;
      }
      if (t instanceof CertPathBuilderException
          || m.contains("unable to find valid certification path")) {
        return "the server's certificate is not issued by a trusted CA";
      }
      if (t instanceof SSLHandshakeException && t.getCause() == null) {
        return reason(t);
      }
    }
    return reason(cause);
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
