package imps.protocol.message;

import imps.protocol.CommandType;

/** {@code C_STATUS_NOTIFY} (13): set own status (2 online, 1 invisible, 0 sign out). */
public record StatusNotifyRequest(String userName, int status) implements ImpsMessage {
  @Override
  public int commandType() {
    return CommandType.C_STATUS_NOTIFY;
  }
}
