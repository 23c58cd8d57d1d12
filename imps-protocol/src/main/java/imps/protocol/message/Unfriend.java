package imps.protocol.message;

import imps.protocol.CommandType;

/**
 * {@code C_UNFRIEND} (39): ends the friendship with {@code friendName}, both ways. Acknowledged
 * with {@code S_ERROR_RSP(0, 39)}, also when they were not friends.
 */
public record Unfriend(String friendName) implements ImpsMessage {
  @Override
  public CommandType commandType() {
    return CommandType.C_UNFRIEND;
  }
}
