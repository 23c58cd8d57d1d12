package imps.protocol.message;

import imps.protocol.CommandType;

/**
 * {@code C_LIVE_LOCATIONS} (49): starts ({@code on}) or stops the pushes of friends' new positions
 * ({@code S_LOCATION}) to this connection (docs/PROTOCOL.md 8.6).
 */
public record LiveLocationsRequest(boolean on) implements ImpsMessage {
  @Override
  public CommandType commandType() {
    return CommandType.C_LIVE_LOCATIONS;
  }
}
