package imps.protocol.message;

import imps.protocol.CommandType;

/**
 * {@code C_UNREAD_REQ} (54): asks how many messages from each friend the user has not read yet;
 * answered {@code S_UNREAD_RSP}.
 */
public record UnreadRequest() implements ImpsMessage {
  /** The only value: the command has no fields. */
  public static final UnreadRequest INSTANCE = new UnreadRequest();

  @Override
  public CommandType commandType() {
    return CommandType.C_UNREAD_REQ;
  }
}
