package imps.protocol.message;

import imps.protocol.CommandType;

/** {@code S_LOGIN_RSP} (2): login succeeded; the account as registered. */
public record LoginResponse(String userName, int gender, String email) implements ImpsMessage {
  @Override
  public int commandType() {
    return CommandType.S_LOGIN_RSP;
  }
}
