package imps.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import imps.client.Position;
import imps.client.Track;
import imps.client.TrackPoint;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrackExportTest {
  static final Instant T = Instant.parse("2026-11-28T12:00:00Z");

  static final Track TWO =
      new Track(
          "bob",
          5,
          List.of(
              new TrackPoint(T, new Position(23.13, 113.26)),
              new TrackPoint(T.plusSeconds(61), new Position(-0.000001, 180))));

  @Test
  void gpxHasOneSegmentWithATimeOnEveryPoint() {
    assertThat(TrackExport.gpx(TWO))
        .isEqualTo(
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <gpx version="1.1" creator="imps" xmlns="http://www.topografix.com/GPX/1/1">
              <trk>
                <name>bob</name>
                <trkseg>
                  <trkpt lat="23.13" lon="113.26"><time>2026-11-28T12:00:00Z</time></trkpt>
                  <trkpt lat="-0.000001" lon="180"><time>2026-11-28T12:01:01Z</time></trkpt>
                </trkseg>
              </trk>
            </gpx>
            """);
  }

  @Test
  void geoJsonIsALineStringOfLonLatWithItsTimes() {
    assertThat(TrackExport.geoJson(TWO))
        .isEqualTo(
            "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":"
                + "{\"name\":\"bob\",\"total\":5,\"coordTimes\":[\"2026-11-28T12:00:00Z\","
                + "\"2026-11-28T12:01:01Z\"]},\"geometry\":{\"type\":\"LineString\","
                + "\"coordinates\":[[113.26,23.13],[180,-0.000001]]}}]}\n");
    assertThat(TrackExport.geoJson(new Track("bob", 0, List.of())))
        .isEqualTo("{\"type\":\"FeatureCollection\",\"features\":[]}\n");
  }

  @Test
  void timesAreReadWithAnOffsetOrInTheLocalZone() {
    ZoneId shanghai = ZoneId.of("Asia/Shanghai");
    assertThat(TrackCommand.parseTime("2026-11-28T12:00:00Z", shanghai)).isEqualTo(T);
    assertThat(TrackCommand.parseTime("2026-11-28T20:00+08:00", shanghai)).isEqualTo(T);
    assertThat(TrackCommand.parseTime("2026-11-28 20:00", shanghai)).isEqualTo(T);
    assertThat(TrackCommand.parseTime(" 2026-11-28 20:00:01 ", shanghai))
        .isEqualTo(T.plusSeconds(1));
    assertThat(TrackCommand.parseTime("2026-11-29", shanghai)).isEqualTo(T.plusSeconds(4 * 3600));
    assertThatThrownBy(() -> TrackCommand.parseTime("noon", shanghai))
        .isInstanceOf(DateTimeException.class)
        .hasMessageContaining("cannot read the time noon");
  }
}
