package imps.protocol.message;

import imps.protocol.CommandType;

/**
 * {@code S_FRIEND_REMOVED} (40): {@code friendName} is no longer the user's friend (unfriended,
 * blocked, or the account was deleted). Not a stored item: only online clients that opted in get
 * it.
 */
public record FriendRemoved(String friendName) implements ImpsMessage {
  @Override
  public CommandType commandType() {
    return CommandType.S_FRIEND_REMOVED;
  }
}
