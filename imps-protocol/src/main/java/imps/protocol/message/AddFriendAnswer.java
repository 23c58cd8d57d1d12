package imps.protocol.message;

import imps.protocol.CommandType;

/**
 * {@code C_ADDFRIEND_RSP} (8): the receiver answers the request of {@code userName}.
 *
 * @param action 1 accept, 0 reject (other values are representable and refused by the server)
 */
public record AddFriendAnswer(String userName, int action) implements ImpsMessage {
  public static final int REJECT = 0;
  public static final int ACCEPT = 1;

  @Override
  public int commandType() {
    return CommandType.C_ADDFRIEND_RSP;
  }
}
