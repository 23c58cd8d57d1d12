package imps.protocol.message;

import imps.protocol.CommandType;
import imps.protocol.ErrorCode;

/**
 * {@code S_ERROR_RSP} (17): a result code, and the CMDTYPE of the request it answers.
 *
 * <p>Wire bytes of the acknowledgement of a {@code C_SEND_MSG}: {@code 4f 4b 00 03 11 00 0b}.
 *
 * @param cmd the CMDTYPE byte of the request answered: 0 when unsolicited (and when a legacy frame
 *     left the extension byte out); it may name no known command, since a frame with an unknown
 *     CMDTYPE is answered with its own number
 */
public record ErrorResponse(ErrorCode code, int cmd) implements ImpsMessage {

  /** The reply with {@code code} to a request of type {@code request}. */
  public static ErrorResponse of(ErrorCode code, CommandType request) {
    return new ErrorResponse(code, request.value());
  }

  /** An unsolicited error (Cmd 0), such as "logged in elsewhere". */
  public static ErrorResponse unsolicited(ErrorCode code) {
    return new ErrorResponse(code, 0);
  }

  /** The command answered, or {@code null} when unsolicited or not a known command. */
  public CommandType request() {
    return CommandType.valueOf(cmd);
  }

  @Override
  public CommandType commandType() {
    return CommandType.S_ERROR_RSP;
  }
}
