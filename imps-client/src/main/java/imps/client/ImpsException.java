package imps.client;

import imps.protocol.CommandType;
import imps.protocol.ErrorCode;

/**
 * The server answered a request with {@code S_ERROR_RSP(code, cmd)} and a non-zero code: the
 * request was refused (or, for code 11, not applied).
 */
public final class ImpsException extends ImpsClientException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final int command;

  /**
   * @param code the Response code (not success)
   * @param command the CMDTYPE of the refused request
   */
  public ImpsException(ErrorCode code, int command) {
    super(describe(code, command), null);
    this.code = code;
    this.command = command;
  }

  /** The code the server answered. */
  public ErrorCode errorCode() {
    return code;
  }

  /** The CMDTYPE of the request the server refused. */
  public int command() {
    return command;
  }

  /** The code's meaning, e.g. "not friends"; never {@code null}. */
  public String meaning() {
    return code.meaning();
  }

  private static String describe(ErrorCode code, int command) {
    return code.meaning() + " (error " + code.code() + " for " + CommandType.nameOf(command) + ")";
  }
}
