package imps.protocol.message;

import imps.protocol.CommandType;

/**
 * {@code C_PASSWD} (44): changes the user's password; needs the current one. Acknowledged with
 * {@code S_ERROR_RSP(0, 44)}; a wrong current password is {@code S_ERROR_RSP(6, 44)}.
 */
public record ChangePassword(String oldPassword, String newPassword) implements ImpsMessage {
  @Override
  public CommandType commandType() {
    return CommandType.C_PASSWD;
  }

  @Override
  public String toString() {
    return "ChangePassword[***]";
  }
}
