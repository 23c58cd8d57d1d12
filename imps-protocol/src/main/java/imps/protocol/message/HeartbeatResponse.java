package imps.protocol.message;

import imps.protocol.CommandType;

/** {@code S_HEARTBEAT_RSP} (4): no fields. */
public record HeartbeatResponse() implements ImpsMessage {
  /** The only value needed; records of no fields are all equal. */
  public static final HeartbeatResponse INSTANCE = new HeartbeatResponse();

  @Override
  public CommandType commandType() {
    return CommandType.S_HEARTBEAT_RSP;
  }
}
