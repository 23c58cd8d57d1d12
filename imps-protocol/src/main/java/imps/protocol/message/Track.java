package imps.protocol.message;

import imps.protocol.CommandType;
import java.util.List;

/**
 * {@code S_TRACK} (52): the reply to {@code C_TRACK}: a user's fixes in the range asked for, oldest
 * first, thinned to at most the points asked for.
 *
 * @param userName whose track, as registered
 * @param total how many fixes the range held before thinning
 * @param points oldest first; never {@code null}; an unmodifiable copy is kept
 */
public record Track(String userName, int total, List<Point> points) implements ImpsMessage {
  public Track {
    points = List.copyOf(points);
  }

  /**
   * One fix of a track.
   *
   * @param time the fix's time, epoch seconds
   * @param latE6 latitude in millionths of a degree (-90,000,000..90,000,000)
   * @param lonE6 longitude in millionths of a degree (-180,000,000..180,000,000)
   */
  public record Point(long time, int latE6, int lonE6) {
    /** Latitude in degrees. */
    public double latitude() {
      return latE6 / 1e6;
    }

    /** Longitude in degrees. */
    public double longitude() {
      return lonE6 / 1e6;
    }
  }

  @Override
  public CommandType commandType() {
    return CommandType.S_TRACK;
  }
}
