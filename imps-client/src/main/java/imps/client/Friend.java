package imps.client;

import imps.protocol.Presence;
import java.util.Objects;

/**
 * A friend as this user sees them.
 *
 * @param name as registered
 * @param status {@link Presence#ONLINE} or {@link Presence#OFFLINE} (an invisible friend looks
 *     offline)
 * @param position the last position the friend shared while visible; {@code null} when none is
 *     known
 * @param positionTime when that position was recorded, {@code yyyy-MM-dd HH:mm:ss} in the server's
 *     zone; {@code null} exactly when {@code position} is
 */
public record Friend(String name, Presence status, Position position, String positionTime) {
  public Friend {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(status, "status");
    if ((position == null) != (positionTime == null)) {
      throw new IllegalArgumentException("position and positionTime go together");
    }
  }

  /** Whether the friend has shared a position. */
  public boolean hasPosition() {
    return position != null;
  }
}
