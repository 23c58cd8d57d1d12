package imps.protocol.message;

import imps.protocol.CommandType;

/**
 * {@code C_DELETE_ACCOUNT} (45): deletes the user's account and everything stored for it; needs the
 * current password. Acknowledged with {@code S_ERROR_RSP(0, 45)}, then the connection is closed.
 */
public record DeleteAccount(String password) implements ImpsMessage {
  @Override
  public CommandType commandType() {
    return CommandType.C_DELETE_ACCOUNT;
  }

  @Override
  public String toString() {
    return "DeleteAccount[***]";
  }
}
