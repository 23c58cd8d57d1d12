package imps.client;

import imps.protocol.CommandType;
import imps.protocol.ErrorCode;

/**
 * The server refused a request: it answered {@code S_ERROR_RSP(code, cmd)} with a code other than
 * success (for code 11, {@link ErrorCode#SERVER_ERROR}, the request was not applied).
 */
public final class ImpsRefusedException extends ImpsClientException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final CommandType command;

  /**
   * @param code the Response code (not success)
   * @param command the refused request's command, or {@code null} when the server named none this
   *     client knows
   */
  public ImpsRefusedException(ErrorCode code, CommandType command) {
    super(describe(code, command), null);
    this.code = code;
    this.command = command;
  }

  /** The code the server answered. */
  public ErrorCode errorCode() {
    return code;
  }

  /** The command the server refused; {@code null} when it named none this client knows. */
  public CommandType command() {
    return command;
  }

  /** The code's meaning, e.g. "not friends"; never {@code null}. */
  public String meaning() {
    return code.meaning();
  }

  private static String describe(ErrorCode code, CommandType command) {
    return code.meaning()
        + " (error "
        + code.code()
        + (command != null ? " for " + command.name() : "")
        + ")";
  }
}
