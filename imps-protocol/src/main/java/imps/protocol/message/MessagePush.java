package imps.protocol.message;

import imps.protocol.CommandType;

/**
 * {@code S_SEND_MSG} (12): a text message from {@code friendName}, accepted by the server at {@code
 * datetime}.
 */
public record MessagePush(String friendName, String message, String datetime)
    implements ImpsMessage {
  @Override
  public CommandType commandType() {
    return CommandType.S_SEND_MSG;
  }
}
