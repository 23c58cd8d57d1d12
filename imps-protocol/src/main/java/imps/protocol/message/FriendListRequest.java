package imps.protocol.message;

import imps.protocol.CommandType;

/** {@code C_FRIENDLIST_REFURBISH_REQ} (5): ask for the friend list. */
public record FriendListRequest(String userName) implements ImpsMessage {
  @Override
  public CommandType commandType() {
    return CommandType.C_FRIENDLIST_REFURBISH_REQ;
  }
}
