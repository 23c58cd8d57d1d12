package imps.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import imps.client.Position;
import org.junit.jupiter.api.Test;

class GeoTest {
  final Position canton = new Position(23.13, 113.26);

  @Test
  void distanceAndBearingOfKnownPoints() {
    Position north = new Position(24.13, 113.26);
    assertThat(Geo.distanceMetres(canton, north)).isCloseTo(111_195, within(50.0));
    assertThat(Geo.bearingDegrees(canton, north)).isCloseTo(0, within(0.01));
    assertThat(Geo.bearingDegrees(north, canton)).isCloseTo(180, within(0.01));
    assertThat(Geo.describe(canton, north)).isEqualTo("111.2 km N of you");
    assertThat(Geo.describe(canton, new Position(23.13, 113.264))).isEqualTo("409 m E of you");
    assertThat(Geo.describe(canton, canton)).isEqualTo("where you are");
  }

  @Test
  void movingGoesTheDistanceOnTheBearing() {
    Position moved = Geo.move(canton, 1000, 45);
    assertThat(Geo.distanceMetres(canton, moved)).isCloseTo(1000, within(0.5));
    assertThat(Geo.bearingDegrees(canton, moved)).isCloseTo(45, within(0.1));
    // Across the antimeridian the longitude wraps instead of leaving -180..180.
    assertThat(Geo.move(new Position(0, 179.9999), 1000, 90).longitude()).isLessThan(-179);
  }
}
