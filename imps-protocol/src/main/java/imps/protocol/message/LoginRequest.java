package imps.protocol.message;

import imps.protocol.CommandType;

/** {@code C_LOGIN_REQ} (1): log in as {@code userName}. */
public record LoginRequest(String userName, String password) implements ImpsMessage {
  @Override
  public CommandType commandType() {
    return CommandType.C_LOGIN_REQ;
  }

  /** Never shows the password: requests end up in logs. */
  @Override
  public String toString() {
    return "LoginRequest[userName=" + userName + ", password=<redacted>]";
  }
}
