package imps.protocol.message;

import imps.protocol.CommandType;
import imps.protocol.Gender;

/** {@code S_LOGIN_RSP} (2): login succeeded; the account as registered. */
public record LoginResponse(String userName, Gender gender, String email) implements ImpsMessage {
  @Override
  public CommandType commandType() {
    return CommandType.S_LOGIN_RSP;
  }
}
