package imps.protocol.message;

import imps.protocol.CommandType;

/** {@code C_REGISTER} (15): create an account. */
public record RegisterRequest(String userName, String password, int gender, String email)
    implements ImpsMessage {
  @Override
  public int commandType() {
    return CommandType.C_REGISTER;
  }
}
