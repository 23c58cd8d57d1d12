package imps.protocol.message;

import imps.protocol.CommandType;

/** {@code S_REGISTER} (16): 1 registered, 0 name taken. */
public record RegisterResponse(int response) implements ImpsMessage {
  @Override
  public int commandType() {
    return CommandType.S_REGISTER;
  }
}
