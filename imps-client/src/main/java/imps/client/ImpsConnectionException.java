package imps.client;

/**
 * The request could not be sent, or the connection closed before its reply arrived. Whether the
 * server applied the request is then unknown.
 */
public final class ImpsConnectionException extends ImpsClientException {
  private static final long serialVersionUID = 1L;

  public ImpsConnectionException(String message, Throwable cause) {
    super(message, cause);
  }
}
