package imps.server.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class TimeFormatsTest {

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
