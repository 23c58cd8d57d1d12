package imps.protocol.message;

import imps.protocol.CommandType;

/** {@code S_ADDFRIEND_REQ} (9): {@code friendName} asks the receiver to be friends. */
public record FriendRequestPush(String friendName) implements ImpsMessage {
  @Override
  public CommandType commandType() {
    return CommandType.S_ADDFRIEND_REQ;
  }
}
