package imps.server.location;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
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

  @Test
  void normalisesTimes() {
    TimeFormats utc = new TimeFormats(ZoneId.of("UTC"));
    assertThat(utc.normalise("2026-11-28 12:00:00")).hasValue("2026-11-28 12:00:00");
    assertThat(utc.normalise("2026-11-28T20:00:00+08:00")).hasValue("2026-11-28 12:00:00");
    assertThat(utc.normalise("0")).hasValue("1970-01-01 00:00:00");
    assertThat(utc.normalise("2026-02-30 12:00:00")).isEmpty();
    assertThat(utc.normalise("2026-11-28")).isEmpty();
    assertThat(utc.normalise("")).isEmpty();
    assertThat(utc.normalise("999999999999999")).isEmpty(); // year 33658
    assertThat(utc.normalise("+10000-01-01T00:00:00Z")).isEmpty();
    assertThat(utc.normalise("-999999999-01-01T00:00:00+18:00")).isEmpty();
    TimeFormats shanghai = new TimeFormats(ZoneId.of("Asia/Shanghai"));
    assertThat(shanghai.format(Instant.parse("2026-11-28T12:00:00Z")))
        .isEqualTo("2026-11-28 20:00:00");
  }
}
