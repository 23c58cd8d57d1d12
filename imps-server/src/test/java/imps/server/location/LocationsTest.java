package imps.server.location;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LocationsTest {
  @Test
  void normalisesLocations() {
    assertThat(Locations.normalise("23.34, 113.43")).hasValue("23.34,113.43");
    assertThat(Locations.normalise(" -90 , -180 ")).hasValue("-90,-180");
    assertThat(Locations.normalise("1.12345678,2.1234564")).hasValue("1.123457,2.123456");
    assertThat(Locations.normalise("-0.0000001,0")).hasValue("0,0");
    assertThat(Locations.normalise("10.500,20.000")).hasValue("10.5,20");
  }

  @Test
  void refusesBadLocations() {
    assertThat(Locations.normalise("90.0001,0")).isEmpty();
    assertThat(Locations.normalise("0,180.5")).isEmpty();
    assertThat(Locations.normalise("1;2")).isEmpty();
    assertThat(Locations.normalise("1,2,3")).isEmpty();
    assertThat(Locations.normalise("")).isEmpty();
    assertThat(Locations.normalise("NaN,1")).isEmpty();
  }
}
