package imps.server.store;

import java.util.List;

/**
 * A user's track over a time range, thinned ({@link LocationStore#track}).
 *
 * @param total how many fixes the range held before thinning
 * @param points oldest first
 */
public record TrackSlice(int total, List<Point> points) {
  public TrackSlice {
    points = List.copyOf(points);
  }

  /**
   * One fix of a track.
   *
   * @param atMillis the fix's time, epoch milliseconds
   * @param location {@code lat,lon} as stored
   */
  public record Point(long atMillis, String location) {}
}
