package imps.protocol.message;

import imps.protocol.CommandType;
import java.util.Arrays;

/**
 * { code S_AUDIO_RSP} (19): a voice clip from { code friendName}, accepted by the server at { code
 * datetime}.
 *
 * <p>The record keeps its own copy of the clip and {@link #data()} returns a copy, so the value is
 * immutable; equality compares the bytes.
 */
public record AudioPush(String friendName, byte[] data, String datetime) implements ImpsMessage {
  public AudioPush {
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
    return CommandType.S_AUDIO_RSP;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AudioPush other
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
    return "AudioPush[friendName="
        + friendName
        + ", data="
        + data.length
        + " bytes, datetime="
        + datetime
        + "]";
  }
}
