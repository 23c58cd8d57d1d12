package imps.server.error;

import imps.protocol.ErrorCode;

/**
 * A request refused with an error code; the dispatcher answers it as {@code S_ERROR_RSP(code,
 * cmd)}. Expected, so no stack trace is filled in.
 */
public final class RequestException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient ErrorCode code;

  public RequestException(ErrorCode code, String detail) {
    super(code.meaning() + (detail == null ? "" : ": " + detail), null, false, false);
    this.code = code;
  }

  public RequestException(ErrorCode code) {
    this(code, null);
  }

  public ErrorCode code() {
    return code;
  }
}
