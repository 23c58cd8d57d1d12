package imps.protocol.message;

import imps.protocol.CommandType;
import java.util.Arrays;

/**
 * { code C_AUDIO_REQ} (18): send a voice clip to { code friendName}; { code datetime} is the
 * client's and only informative.
 *
 * <p>The record keeps its own copy of the clip and {@link #data()} returns a copy, so the value is
 * immutable; equality compares the bytes.
 */
public record AudioRequest(String friendName, byte[] data, String datetime) implements ImpsMessage {
  public AudioRequest {
    data = data.clone();
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  /** The clip length in bytes, without copying. */
  public int dataLength() {
    return data.length;
  }

  @Override
  public int commandType() {
    return CommandType.C_AUDIO_REQ;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AudioRequest other
        && friendName.equals(other.friendName)
        && Arrays.equals(data, other.data)
        && datetime.equals(other.datetime);
  }

  @Override
  public int hashCode() {
    return (friendName.hashCode() * 31 + Arrays.hashCode(data)) * 31 + datetime.hashCode();
  }

  @Override
  public String toString() {
    return "AudioRequest[friendName="
        + friendName
        + ", data="
        + data.length
        + " bytes, datetime="
        + datetime
        + "]";
  }
}
