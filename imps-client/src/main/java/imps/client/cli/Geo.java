package imps.client.cli;

import imps.client.Position;
import java.util.Locale;

/** Distances and bearings on the earth (a sphere of mean radius), for showing friends nearby. */
final class Geo {
  private static final double EARTH_RADIUS_M = 6_371_008.8;
  private static final String[] COMPASS = {"N", "NE", "E", "SE", "S", "SW", "W", "NW"};

  private Geo() {}

  /** Great-circle distance in metres (haversine). */
  static double distanceMetres(Position a, Position b) {
    double lat1 = Math.toRadians(a.latitude());
    double lat2 = Math.toRadians(b.latitude());
    double dLat = lat2 - lat1;
    double dLon = Math.toRadians(b.longitude() - a.longitude());
    double h =
        Math.sin(dLat / 2) * Math.sin(dLat / 2)
            + Math.cos(lat1) * Math.cos(lat2) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
    return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
  }

  /** Initial bearing from {@code a} to {@code b}, degrees clockwise from north, 0..360. */
  static double bearingDegrees(Position a, Position b) {
    double lat1 = Math.toRadians(a.latitude());
    double lat2 = Math.toRadians(b.latitude());
    double dLon = Math.toRadians(b.longitude() - a.longitude());
    double y = Math.sin(dLon) * Math.cos(lat2);
    double x = Math.cos(lat1) * Math.sin(lat2) - Math.sin(lat1) * Math.cos(lat2) * Math.cos(dLon);
    return (Math.toDegrees(Math.atan2(y, x)) + 360) % 360;
  }

  /** The point {@code metres} away from {@code from} on the initial bearing {@code degrees}. */
  static Position move(Position from, double metres, double degrees) {
    double d = metres / EARTH_RADIUS_M;
    double b = Math.toRadians(degrees);
    double lat1 = Math.toRadians(from.latitude());
    double lon1 = Math.toRadians(from.longitude());
    double lat2 =
        Math.asin(Math.sin(lat1) * Math.cos(d) + Math.cos(lat1) * Math.sin(d) * Math.cos(b));
    double lon2 =
        lon1
            + Math.atan2(
                Math.sin(b) * Math.sin(d) * Math.cos(lat1),
                Math.cos(d) - Math.sin(lat1) * Math.sin(lat2));
    double lon = (Math.toDegrees(lon2) + 540) % 360 - 180;
    return new Position(Math.max(-90, Math.min(90, Math.toDegrees(lat2))), lon);
  }

  /** "1.2 km NE of you", "350 m S of you" or "where you are": {@code to} seen from {@code from}. */
  static String describe(Position from, Position to) {
    double m = distanceMetres(from, to);
    if (m < 1) {
      return "where you are";
    }
    return distanceText(m)
        + " "
        + COMPASS[(int) Math.round(bearingDegrees(from, to) / 45) % 8]
        + " of you";
  }

  /** "350 m" below a kilometre, else "1.2 km". */
  static String distanceText(double metres) {
    return metres < 1000
        ? Math.round(metres) + " m"
        : String.format(Locale.ROOT, "%.1f km", metres / 1000);
  }
}
