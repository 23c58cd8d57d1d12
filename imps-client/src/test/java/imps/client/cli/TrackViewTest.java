package imps.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TrackViewTest {
  final Clock clock = Clock.fixed(Instant.parse("2026-11-30T12:00:00Z"), ZoneOffset.ofHours(8));
  final TrackView view = new TrackView(null, line -> {}, clock);

  @Test
  void readsTimesOfOneWordInTheClocksZone() {
    assertThat(view.time("now")).isEqualTo(Instant.parse("2026-11-30T12:00:00Z"));
    assertThat(view.time("NOW")).isEqualTo(Instant.parse("2026-11-30T12:00:00Z"));
    assertThat(view.time("2026-11-28")).isEqualTo(Instant.parse("2026-11-27T16:00:00Z"));
    assertThat(view.time("2026-11-28T20:00")).isEqualTo(Instant.parse("2026-11-28T12:00:00Z"));
    assertThat(view.time("2026-11-28T20:00:30")).isEqualTo(Instant.parse("2026-11-28T12:00:30Z"));
    assertThat(view.time("2026-11-28T12:00:00Z")).isEqualTo(Instant.parse("2026-11-28T12:00:00Z"));
    assertThat(view.time("2026-11-28T20:00:00+08:00"))
        .isEqualTo(Instant.parse("2026-11-28T12:00:00Z"));
  }

  @Test
  void refusesOtherWords() {
    assertThatThrownBy(() -> view.time("yesterday")).isInstanceOf(DateTimeException.class);
    assertThatThrownBy(() -> view.time("2026-11-28T25:00")).isInstanceOf(DateTimeException.class);
    assertThatThrownBy(() -> view.time("Tuesday")).isInstanceOf(DateTimeException.class);
  }
}
