package imps.protocol.message;

import imps.protocol.CommandType;

/**
 * {@code C_READ} (38): the user has read the messages from {@code peer} up to and including the
 * stored item {@code upToSeq}; the senders who asked for receipts are told. Acknowledged with
 * {@code S_ERROR_RSP(0, 38)}.
 */
public record ReadNotice(String peer, long upToSeq) implements ImpsMessage {
  @Override
  public CommandType commandType() {
    return CommandType.C_READ;
  }
}
