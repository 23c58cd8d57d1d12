package imps.client;

/**
 * Base of every exception a client future fails with: {@link ImpsRefusedException} (the server
 * refused with an error code), {@link ImpsConnectionException} (no connection, or it dropped before
 * the reply), {@link ImpsTimeoutException} (no reply in time) and {@link
 * ImpsInvalidRequestException} (the client did not send a request that breaks a limit). Unchecked,
 * because it normally travels inside a {@link java.util.concurrent.CompletionException}.
 */
public abstract sealed class ImpsClientException extends RuntimeException
    permits ImpsRefusedException,
        ImpsConnectionException,
        ImpsTimeoutException,
        ImpsInvalidRequestException {
  private static final long serialVersionUID = 1L;

  ImpsClientException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * The {@link ImpsClientException} behind {@code t}, unwrapping {@link
   * java.util.concurrent.CompletionException} and {@link java.util.concurrent.ExecutionException};
   * {@code null} when there is none.
   */
  public static ImpsClientException unwrap(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ImpsClientException e) {
        return e;
      }
    }
    return null;
  }
}
