package imps.protocol.message;

import imps.protocol.CommandType;

/** {@code C_ADDFRIEND_REQ} (7): {@code userName} asks {@code friendName} to be friends. */
public record AddFriendRequest(String userName, String friendName) implements ImpsMessage {
  @Override
  public CommandType commandType() {
    return CommandType.C_ADDFRIEND_REQ;
  }
}
