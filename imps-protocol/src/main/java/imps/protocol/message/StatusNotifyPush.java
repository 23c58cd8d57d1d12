package imps.protocol.message;

import imps.protocol.CommandType;
import imps.protocol.Presence;

/** {@code S_STATUS_NOTIFY} (14): what the receiver now sees of friend {@code userName}. */
public record StatusNotifyPush(String userName, Presence status) implements ImpsMessage {
  @Override
  public CommandType commandType() {
    return CommandType.S_STATUS_NOTIFY;
  }
}
