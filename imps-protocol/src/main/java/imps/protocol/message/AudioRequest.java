package imps.protocol.message;

import imps.protocol.CommandType;

/**
 * {@code C_AUDIO_REQ} (18): send a voice clip to {@code friendName}; {@code datetime} is the
 * client's and only informative.
 *
 * @param clientMsgId [ext] as in {@link SendMessage}, or 0 for none
 */
public record AudioRequest(String friendName, ClipBytes data, String datetime, long clientMsgId)
    implements ImpsMessage {

  /** The request as the sheet has it (no client message id). */
  public AudioRequest(String friendName, ClipBytes data, String datetime) {
    this(friendName, data, datetime, 0);
  }

  @Override
  public CommandType commandType() {
    return CommandType.C_AUDIO_REQ;
  }
}
