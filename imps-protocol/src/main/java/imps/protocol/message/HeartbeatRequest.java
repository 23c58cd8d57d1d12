package imps.protocol.message;

import imps.protocol.CommandType;
import java.util.List;

/**
 * {@code C_HEARTBEAT_REQ} (3): keep-alive carrying zero or more location fixes.
 *
 * @param fixes never {@code null}; an unmodifiable copy is kept
 */
public record HeartbeatRequest(String userName, List<LocationFix> fixes) implements ImpsMessage {
  public HeartbeatRequest {
    fixes = List.copyOf(fixes);
  }

  @Override
  public CommandType commandType() {
    return CommandType.C_HEARTBEAT_REQ;
  }
}
