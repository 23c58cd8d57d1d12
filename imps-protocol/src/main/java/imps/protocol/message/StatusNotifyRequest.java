package imps.protocol.message;

import imps.protocol.CommandType;
import imps.protocol.Presence;

/** {@code C_STATUS_NOTIFY} (13): set own status (2 online, 1 invisible, 0 sign out). */
public record StatusNotifyRequest(String userName, Presence status) implements ImpsMessage {
  @Override
  public CommandType commandType() {
    return CommandType.C_STATUS_NOTIFY;
  }
}
