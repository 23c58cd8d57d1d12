package imps.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class MutableClockTest {
  @Test
  void standsStillUntilMoved() {
    MutableClock clock = new MutableClock();
    assertThat(clock.instant()).isEqualTo(MutableClock.DEFAULT_START).isEqualTo(clock.instant());
    assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
    assertThat(clock.advance(Duration.ofSeconds(90)))
        .isEqualTo(MutableClock.DEFAULT_START.plusSeconds(90));
    clock.set(Instant.EPOCH);
    assertThat(clock.millis()).isZero();
  }

  @Test
  void aClockInAnotherZoneMovesWithIt() {
    MutableClock clock = new MutableClock(Instant.EPOCH);
    Clock shanghai = clock.withZone(ZoneId.of("Asia/Shanghai"));
    assertThat(shanghai.getZone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
    clock.advance(Duration.ofHours(1));
    assertThat(shanghai.instant()).isEqualTo(Instant.EPOCH.plusSeconds(3600));
    assertThat(clock.withZone(ZoneOffset.UTC)).isSameAs(clock);
  }
}
