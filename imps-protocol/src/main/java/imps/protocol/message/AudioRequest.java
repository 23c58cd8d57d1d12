package imps.protocol.message;

import imps.protocol.CommandType;

/**
 * {@code C_AUDIO_REQ} (18): send a voice clip to {@code friendName}; {@code datetime} is the
 * client's and only informative.
 */
public record AudioRequest(String friendName, ClipBytes data, String datetime)
    implements ImpsMessage {
  @Override
  public CommandType commandType() {
    return CommandType.C_AUDIO_REQ;
  }
}
