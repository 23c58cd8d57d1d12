package imps.client;

import java.time.Duration;

/**
 * No reply arrived within the request timeout. Whether the server applied the request is unknown; a
 * reply that arrives later is recognised and dropped, so later requests stay correctly matched.
 */
public final class ImpsTimeoutException extends ImpsClientException {
  private static final long serialVersionUID = 1L;

  public ImpsTimeoutException(String request, Duration timeout) {
    super("no reply to " + request + " within " + timeout.toMillis() + " ms", null);
  }
}
