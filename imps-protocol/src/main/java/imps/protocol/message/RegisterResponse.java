package imps.protocol.message;

import imps.protocol.CommandType;

/** {@code S_REGISTER} (16): Response 1 (registered) or 0 (name taken). */
public record RegisterResponse(boolean registered) implements ImpsMessage {
  @Override
  public CommandType commandType() {
    return CommandType.S_REGISTER;
  }
}
