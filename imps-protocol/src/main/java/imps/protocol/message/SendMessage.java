package imps.protocol.message;

import imps.protocol.CommandType;

/** {@code C_SEND_MSG} (11): send text {@code message} to {@code friendName}. */
public record SendMessage(String userName, String friendName, String message)
    implements ImpsMessage {
  @Override
  public CommandType commandType() {
    return CommandType.C_SEND_MSG;
  }
}
