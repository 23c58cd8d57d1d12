package imps.protocol.message;

import imps.protocol.CommandType;

/**
 * {@code S_STORED} (34): a stored item pushed to a client that asked for acknowledged delivery: the
 * item's sequence number among everything stored for that user, and the item itself as the command
 * a legacy client would get (S_SEND_MSG, S_AUDIO_RSP, S_ADDFRIEND_REQ, S_ADDFRIEND_RSP, S_RECEIPT).
 *
 * @param seq increases by one with each item stored for the user; acknowledged with {@code C_ACK}
 */
public record StoredPush(long seq, ImpsMessage item) implements ImpsMessage {
  @Override
  public CommandType commandType() {
    return CommandType.S_STORED;
  }
}
