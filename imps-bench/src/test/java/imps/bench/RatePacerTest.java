package imps.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RatePacerTest {

  @Test
  void intendedTimesAreEvenlySpacedFromTheStart() {
    RatePacer p = new RatePacer(1_000, 1000, 10); // 1 ms apart
    assertThat(p.intendedNanos(0)).isEqualTo(1_000);
    assertThat(p.intendedNanos(1)).isEqualTo(1_001_000);
    assertThat(p.intendedNanos(9)).isEqualTo(9_001_000);
    assertThat(p.endNanos()).isEqualTo(10_001_000);
  }

  @Test
  void dueCountsOperationsIntendedAtOrBeforeNowAndIsBoundedByTheTotal() {
    RatePacer p = new RatePacer(0, 1000, 10);
    assertThat(p.dueAt(-1)).isZero();
    assertThat(p.dueAt(0)).isEqualTo(1);
    assertThat(p.dueAt(999_999)).isEqualTo(1);
    assertThat(p.dueAt(1_000_000)).isEqualTo(2);
    assertThat(p.dueAt(5_500_000)).isEqualTo(6);
    assertThat(p.dueAt(Long.MAX_VALUE / 2)).isEqualTo(10);
  }

  @Test
  void aLateSenderCatchesUpWithoutMovingTheIntendedTimes() {
    // Open loop: falling behind does not shift the schedule (no coordinated omission).
    RatePacer p = new RatePacer(0, 100, 100);
    long due = p.dueAt(500_000_000); // half a second late: 51 due at once
    assertThat(due).isEqualTo(51);
    assertThat(p.intendedNanos(50)).isEqualTo(500_000_000);
  }

  @Test
  void totalForRateAndDuration() {
    assertThat(RatePacer.totalFor(5000, 20)).isEqualTo(100_000);
    assertThat(RatePacer.totalFor(50, 2)).isEqualTo(100);
    assertThat(RatePacer.totalFor(0.5, 3)).isEqualTo(2);
  }

  @Test
  void fractionalRatesKeepTheirAverage() {
    RatePacer p = new RatePacer(0, 3, 3);
    assertThat(p.dueAt(999_999_999)).isEqualTo(3);
    assertThat(p.intendedNanos(2)).isEqualTo(666_666_666);
  }

  @Test
  void rejectsNonPositiveRates() {
    assertThatThrownBy(() -> new RatePacer(0, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RatePacer(0, Double.NaN, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
