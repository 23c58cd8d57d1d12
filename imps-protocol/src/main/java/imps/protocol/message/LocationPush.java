package imps.protocol.message;

import imps.protocol.CommandType;

/**
 * {@code S_LOCATION} (50): a friend's new position, pushed to a connection that asked for live
 * locations; the latest fix only, at most one per friend per interval.
 *
 * @param time the fix's time as the server stores it, {@code yyyy-MM-dd HH:mm:ss}
 * @param location {@code lat,lon}
 */
public record LocationPush(String friendName, String time, String location) implements ImpsMessage {
  @Override
  public CommandType commandType() {
    return CommandType.S_LOCATION;
  }
}
