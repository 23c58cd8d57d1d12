package imps.protocol.message;

import imps.protocol.CommandType;

/**
 * {@code C_BLOCK} (41): blocks ({@code block}) or unblocks {@code userName}. Acknowledged with
 * {@code S_ERROR_RSP(0, 41)}; blocking also ends a friendship and drops pending requests between
 * the two.
 */
public record BlockRequest(String userName, boolean block) implements ImpsMessage {
  @Override
  public CommandType commandType() {
    return CommandType.C_BLOCK;
  }
}
