package imps.client.cli;

import imps.client.Position;
import imps.client.Track;
import imps.client.TrackPoint;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * A {@link Track} as a GPX 1.1 document (one track, one segment, a time on every point) or as
 * GeoJSON (RFC 7946: a FeatureCollection with one LineString feature whose {@code coordTimes}
 * property has each point's time, as togeojson and Mapbox write it).
 */
final class TrackExport {
  /** The export formats of {@code ./imps track --format}. */
  enum Format {
    GPX,
    GEOJSON
  }

  private TrackExport() {}

  static String export(Track track, Format format) {
    return format == Format.GPX ? gpx(track) : geoJson(track);
  }

  /** GPX 1.1: {@code <trk>} named after the user, one {@code <trkseg>}, times in UTC. */
  static String gpx(Track track) {
    StringBuilder b = new StringBuilder();
    b.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    b.append(
        "<gpx version=\"1.1\" creator=\"imps\" xmlns=\"http://www.topografix.com/GPX/1/1\">\n");
    b.append("  <trk>\n");
    b.append("    <name>").append(xml(track.user())).append("</name>\n");
    b.append("    <trkseg>\n");
    for (TrackPoint p : track.points()) {
      String[] latLon = degrees(p.position());
      b.append("      <trkpt lat=\"")
          .append(latLon[0])
          .append("\" lon=\"")
          .append(latLon[1])
          .append("\"><time>")
          .append(time(p.time()))
          .append("</time></trkpt>\n");
    }
    b.append("    </trkseg>\n");
    b.append("  </trk>\n");
    b.append("</gpx>\n");
    return b.toString();
  }

  /**
   * GeoJSON: one feature, a LineString of {@code [lon, lat]} positions (a Point when the track has
   * one fix, no feature when it has none, since a LineString needs two positions), with the user,
   * the number of fixes before thinning and the times as properties.
   */
  static String geoJson(Track track) {
    List<TrackPoint> points = track.points();
    StringBuilder b = new StringBuilder();
    b.append("{\"type\":\"FeatureCollection\",\"features\":[");
    if (!points.isEmpty()) {
      b.append("{\"type\":\"Feature\",\"properties\":{\"name\":")
          .append(json(track.user()))
          .append(",\"total\":")
          .append(track.total())
          .append(",\"coordTimes\":[");
      for (int i = 0; i < points.size(); i++) {
        b.append(i > 0 ? "," : "").append('"').append(time(points.get(i).time())).append('"');
      }
      b.append("]},\"geometry\":{\"type\":");
      if (points.size() == 1) {
        b.append("\"Point\",\"coordinates\":").append(position(points.get(0)));
      } else {
        b.append("\"LineString\",\"coordinates\":[");
        for (int i = 0; i < points.size(); i++) {
          b.append(i > 0 ? "," : "").append(position(points.get(i)));
        }
        b.append(']');
      }
      b.append("}}");
    }
    b.append("]}\n");
    return b.toString();
  }

  private static String position(TrackPoint p) {
    String[] latLon = degrees(p.position());
    return "[" + latLon[1] + "," + latLon[0] + "]";
  }

  /** Latitude and longitude as the protocol writes them: at most 6 decimals, plain. */
  private static String[] degrees(Position p) {
    return p.toString().split(",", 2);
  }

  private static String time(Instant t) {
    return DateTimeFormatter.ISO_INSTANT.format(t);
  }

  private static String xml(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static String json(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
