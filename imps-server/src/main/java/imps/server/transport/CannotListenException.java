package imps.server.transport;

import java.net.BindException;

/** A client port could not be bound; the message names the address and, in words, why. */
public final class CannotListenException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  CannotListenException(String host, int port, Throwable cause) {
    super("cannot listen on " + host + ":" + port + ": " + reason(cause), cause);
  }

  private static String reason(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException
          || String.valueOf(t.getMessage()).contains("Address already in use")) {
        return "address already in use";
      }
    }
    return String.valueOf(e.getMessage());
  }
}
