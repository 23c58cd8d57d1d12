package imps.client;

import java.util.List;

/**
 * A user's track over a time range ({@link ImpsClient#track}), thinned by the server.
 *
 * @param user whose track, as registered
 * @param total how many fixes the range held before the server thinned them
 * @param points oldest first, at most as many as asked for
 */
public record Track(String user, int total, List<TrackPoint> points) {
  public Track {
    points = List.copyOf(points);
  }

  /** Whether the server left fixes out to keep within the points asked for. */
  public boolean thinned() {
    return points.size() < total;
  }
}
