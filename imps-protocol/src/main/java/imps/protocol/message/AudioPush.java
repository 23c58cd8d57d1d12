package imps.protocol.message;

import imps.protocol.CommandType;

/**
 * {@code S_AUDIO_RSP} (19): a voice clip from {@code friendName} (the sender), accepted by the
 * server at {@code datetime}.
 */
public record AudioPush(String friendName, ClipBytes data, String datetime) implements ImpsMessage {
  @Override
  public CommandType commandType() {
    return CommandType.S_AUDIO_RSP;
  }
}
