package imps.server.store;

/** A storage failure: the change was not applied and the request can be retried. */
public final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
