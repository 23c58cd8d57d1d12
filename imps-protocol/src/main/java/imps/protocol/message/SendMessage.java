package imps.protocol.message;

import imps.protocol.CommandType;

/**
 * {@code C_SEND_MSG} (11): send text {@code message} to {@code friendName}.
 *
 * @param clientMsgId [ext] the client's id of this message (idempotent sends: a resend with the
 *     same id stores nothing twice), or 0 for none; a legacy frame has none
 */
public record SendMessage(String userName, String friendName, String message, long clientMsgId)
    implements ImpsMessage {

  /** The request as the sheet has it (no client message id). */
  public SendMessage(String userName, String friendName, String message) {
    this(userName, friendName, message, 0);
  }

  @Override
  public CommandType commandType() {
    return CommandType.C_SEND_MSG;
  }
}
