package imps.protocol.message;

import imps.protocol.CommandType;

/**
 * {@code C_ADDFRIEND_RSP} (8): the receiver answers the request of {@code userName}.
 *
 * @param accept true to accept (Action 1), false to reject (Action 0)
 */
public record AddFriendAnswer(String userName, boolean accept) implements ImpsMessage {
  @Override
  public CommandType commandType() {
    return CommandType.C_ADDFRIEND_RSP;
  }
}
