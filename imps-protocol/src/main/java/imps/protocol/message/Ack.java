package imps.protocol.message;

import imps.protocol.CommandType;

/**
 * {@code C_ACK} (35): the client has every stored item up to and including {@code seq}
 * (cumulative). It gets no reply: acknowledgements flow while requests and replies go on.
 */
public record Ack(long seq) implements ImpsMessage {
  @Override
  public CommandType commandType() {
    return CommandType.C_ACK;
  }
}
