package imps.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.DoublePredicate;
import org.junit.jupiter.api.Test;

class MaxRateSearchTest {

  private static List<Double> drive(MaxRateSearch s, DoublePredicate passes) {
    List<Double> tried = new ArrayList<>();
    for (OptionalDouble r = s.next(); r.isPresent(); r = s.next()) {
      tried.add(r.getAsDouble());
      s.record(r.getAsDouble(), passes.test(r.getAsDouble()));
    }
    return tried;
  }

  @Test
  void doublesThenBisectsToWithinThePrecision() {
    MaxRateSearch s = new MaxRateSearch(1000, 1_000_000, 0.05, 30);
    List<Double> tried = drive(s, r -> r <= 13_000);
    assertThat(tried).startsWith(1000.0, 2000.0, 4000.0, 8000.0, 16000.0, 12000.0);
    assertThat(s.best()).isBetween(12_350.0, 13_000.0);
    assertThat((s.lowestFailure() - s.best()) / s.best()).isLessThanOrEqualTo(0.05);
  }

  @Test
  void stopsAtTheCeilingWhenEverythingPasses() {
    MaxRateSearch s = new MaxRateSearch(1000, 5000, 0.05, 30);
    List<Double> tried = drive(s, r -> true);
    assertThat(tried).containsExactly(1000.0, 2000.0, 4000.0, 5000.0);
    assertThat(s.best()).isEqualTo(5000);
    assertThat(s.lowestFailure()).isNaN();
  }

  @Test
  void halvesWhenEvenTheStartFails() {
    MaxRateSearch s = new MaxRateSearch(1000, 100_000, 0.05, 30);
    drive(s, r -> r <= 300);
    assertThat(s.best()).isBetween(286.0, 300.0);
  }

  @Test
  void isBoundedByTheTrialCount() {
    MaxRateSearch s = new MaxRateSearch(1, 1e12, 1e-9, 7);
    List<Double> tried = drive(s, r -> true);
    assertThat(tried).hasSize(7);
    assertThat(s.trials()).isEqualTo(7);
  }

  @Test
  void nothingPassesEvenAtOnePerSecond() {
    MaxRateSearch s = new MaxRateSearch(8, 100, 0.05, 30);
    List<Double> tried = drive(s, r -> false);
    assertThat(tried).containsExactly(8.0, 4.0, 2.0, 1.0);
    assertThat(s.best()).isZero();
  }
}
