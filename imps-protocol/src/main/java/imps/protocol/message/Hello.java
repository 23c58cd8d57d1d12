package imps.protocol.message;

import imps.protocol.CommandType;
import imps.protocol.Feature;
import java.util.Set;

/**
 * {@code C_HELLO} (32): the client opts into protocol extensions for this connection, before it
 * logs in.
 *
 * @param version the extension protocol version the client speaks (1)
 * @param features what the client asks for; an unmodifiable copy is kept
 */
public record Hello(int version, Set<Feature> features) implements ImpsMessage {
  public Hello {
    features = Set.copyOf(features);
  }

  @Override
  public CommandType commandType() {
    return CommandType.C_HELLO;
  }
}
