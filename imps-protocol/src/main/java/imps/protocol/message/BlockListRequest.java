package imps.protocol.message;

import imps.protocol.CommandType;

/**
 * {@code C_BLOCKLIST_REQ} (42): asks for the user's block list; answered {@code S_BLOCKLIST_RSP}.
 */
public record BlockListRequest() implements ImpsMessage {
  /** The only value: the command has no fields. */
  public static final BlockListRequest INSTANCE = new BlockListRequest();

  @Override
  public CommandType commandType() {
    return CommandType.C_BLOCKLIST_REQ;
  }
}
