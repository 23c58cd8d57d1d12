package imps.bench;

import static org.assertj.core.api.Assertions.assertThat;

import imps.server.location.Locations;
import org.junit.jupiter.api.Test;

class LiveLocationTrialTest {

  @Test
  void aFixNumberSurvivesTheServersNormalisation() {
    for (int j : new int[] {0, 1, 9, 10, 120, 999_999, 1_000_000, 1_234_500, 89_999_999}) {
      String normalised = Locations.normalise(LiveLocationTrial.location(j)).orElseThrow();
      assertThat(LiveLocationTrial.fixNumber(normalised))
          .as("fix %d as %s", j, normalised)
          .isEqualTo(j);
    }
    assertThat(Locations.normalise(LiveLocationTrial.location(120))).contains("0.00012,113.26");
  }

  @Test
  void otherLocationsAreNoFixNumber() {
    assertThat(LiveLocationTrial.fixNumber("")).isEqualTo(-1);
    assertThat(LiveLocationTrial.fixNumber("23.13")).isEqualTo(-1);
    assertThat(LiveLocationTrial.fixNumber("-1.5,2")).isEqualTo(-1);
    assertThat(LiveLocationTrial.fixNumber("123.5,2")).isEqualTo(-1);
    assertThat(LiveLocationTrial.fixNumber("x.1,2")).isEqualTo(-1);
  }

  @Test
  void everyFixIsPushedWhenTheyComeNoFasterThanTheServerPushes() {
    assertThat(LiveLocationTrial.pushesPerSender(6, 10, 5)).isEqualTo(6);
    assertThat(LiveLocationTrial.pushesPerSender(6, 5, 5)).isEqualTo(6);
    assertThat(LiveLocationTrial.pushesPerSender(1, 10, 5)).isEqualTo(1);
  }

  @Test
  void fasterFixesAreCoalescedToOnePushPerServerInterval() {
    // Fixes at 0, 0.1, ..., 0.9 s with 0.4 s: pushed at 0, 0.4 (the fix of 0.3), 0.8 (0.7), and
    // the last (0.9) when 1.2 is due.
    assertThat(LiveLocationTrial.pushesPerSender(10, 0.1, 0.4)).isEqualTo(4);
    // Fixes at 0, 3, 6, 9 s with 5 s: 0 at once; 3 held until 5; 6 held until 10, replaced by 9.
    assertThat(LiveLocationTrial.pushesPerSender(4, 3, 5)).isEqualTo(3);
    // No coalescing at all: every fix.
    assertThat(LiveLocationTrial.pushesPerSender(7, 0.1, 0)).isEqualTo(7);
  }
}
