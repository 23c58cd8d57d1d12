package imps.protocol.message;

import imps.protocol.CommandType;

/** {@code S_STATUS_NOTIFY} (14): what the receiver now sees of friend {@code userName}. */
public record StatusNotifyPush(String userName, int status) implements ImpsMessage {
  @Override
  public int commandType() {
    return CommandType.S_STATUS_NOTIFY;
  }
}
