package imps.protocol.message;

import imps.protocol.CommandType;
import imps.protocol.Gender;

/** {@code C_REGISTER} (15): create an account. */
public record RegisterRequest(String userName, String password, Gender gender, String email)
    implements ImpsMessage {
  @Override
  public CommandType commandType() {
    return CommandType.C_REGISTER;
  }

  /** Never shows the password: requests end up in logs. */
  @Override
  public String toString() {
    return "RegisterRequest[userName="
        + userName
        + ", password=<redacted>, gender="
        + gender
        + ", email="
        + email
        + "]";
  }
}
