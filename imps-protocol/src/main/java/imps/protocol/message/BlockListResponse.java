package imps.protocol.message;

import imps.protocol.CommandType;
import java.util.List;

/** {@code S_BLOCKLIST_RSP} (43): the names the user has blocked, in name order. */
public record BlockListResponse(List<String> names) implements ImpsMessage {
  public BlockListResponse {
    names = List.copyOf(names);
  }

  @Override
  public CommandType commandType() {
    return CommandType.S_BLOCKLIST_RSP;
  }
}
