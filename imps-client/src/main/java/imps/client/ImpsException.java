package imps.client;

import imps.protocol.CommandType;
import imps.protocol.ErrorCode;

/**
 * The server answered a request with {@code S_ERROR_RSP(code, cmd)} and a non-zero code: the
 * request was refused (or, for code 11, not applied).
 */
public final class ImpsException extends ImpsClientException {
  private static final long serialVersionUID = 1L;

  private final int code;
  private final int command;

  /**
   * @param code the Response byte (non-zero)
   * @param command the CMDTYPE of the refused request
   */
  public ImpsException(int code, int command) {
    super(describe(code, command), null);
    this.code = code;
    this.command = command;
  }

  /** The code as an enum constant, or {@code null} for a code this client does not know. */
  public ErrorCode errorCode() {
    return ErrorCode.of(code);
  }

  /** The raw Response byte. */
  public int code() {
    return code;
  }

  /** The CMDTYPE of the request the server refused. */
  public int command() {
    return command;
  }

  /** The code's meaning, e.g. "not friends"; never {@code null}. */
  public String meaning() {
    ErrorCode e = ErrorCode.of(code);
    return e != null ? e.meaning() : "unknown error " + code;
  }

  private static String describe(int code, int command) {
    ErrorCode e = ErrorCode.of(code);
    return (e != null ? e.meaning() : "unknown error")
        + " (error "
        + code
        + " for "
        + CommandType.name(command)
        + ")";
  }
}
