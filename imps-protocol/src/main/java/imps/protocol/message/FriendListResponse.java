package imps.protocol.message;

import imps.protocol.CommandType;
import java.util.List;

/**
 * {@code S_FRIENDLIST_REFURBISH_RSP} (6): every friend with status and last location.
 *
 * @param friends never {@code null}; an unmodifiable copy is kept
 */
public record FriendListResponse(List<FriendInfo> friends) implements ImpsMessage {
  public FriendListResponse {
    friends = List.copyOf(friends);
  }

  @Override
  public CommandType commandType() {
    return CommandType.S_FRIENDLIST_REFURBISH_RSP;
  }
}
