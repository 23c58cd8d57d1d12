package imps.protocol.message;

import imps.protocol.CommandType;
import imps.protocol.ErrorCode;

/**
 * {@code S_ERROR_RSP} (17): a result code, and the CMDTYPE of the request it answers (0 when
 * unsolicited, and also when a legacy frame left the extension byte out).
 *
 * <p>Wire bytes of the acknowledgement of a {@code C_SEND_MSG}: {@code 4f 4b 00 03 11 00 0b}.
 */
public record ErrorResponse(int code, int cmd) implements ImpsMessage {

  public static ErrorResponse of(ErrorCode code, int cmd) {
    return new ErrorResponse(code.code(), cmd);
  }

  /** The code as an enum constant, or {@code null} when it is not one of the defined codes. */
  public ErrorCode errorCode() {
    return ErrorCode.of(code);
  }

  @Override
  public int commandType() {
    return CommandType.S_ERROR_RSP;
  }
}
