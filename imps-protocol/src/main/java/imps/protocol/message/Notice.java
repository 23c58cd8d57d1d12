package imps.protocol.message;

import imps.protocol.CommandType;

/**
 * {@code S_NOTICE} (53): a text from the server's operator to the user, such as the announcement of
 * a planned restart ({@code ./imps admin drain --announce TEXT}). Only to clients that opted into
 * {@link imps.protocol.Feature#NOTICES}; not a stored item.
 */
public record Notice(String text) implements ImpsMessage {
  @Override
  public CommandType commandType() {
    return CommandType.S_NOTICE;
  }
}
