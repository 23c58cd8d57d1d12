package imps.protocol.message;

import imps.protocol.CommandType;
import imps.protocol.Feature;
import java.util.Set;

/**
 * {@code S_HELLO} (33): the server's answer to {@code C_HELLO}: the features it grants (a subset of
 * those asked for) and the limits a client should check before sending.
 *
 * @param version the extension protocol version the server speaks (1)
 * @param maxMessageChars the longest text accepted, in characters
 * @param maxAudioBytes the largest voice clip accepted
 */
public record HelloResponse(
    int version, Set<Feature> features, int maxMessageChars, int maxAudioBytes)
    implements ImpsMessage {
  public HelloResponse {
    features = Set.copyOf(features);
  }

  @Override
  public CommandType commandType() {
    return CommandType.S_HELLO;
  }
}
