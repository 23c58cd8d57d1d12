package imps.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChatScenarioTest {

  private static Result trial() {
    Result r = new Result("trial");
    r.metric("scheduled", 100L).metric("sent", 100L).metric("lost", 0L);
    r.metric("duplicated", 0L).metric("ack_errors", 0L);
    r.metric("e2e_p99_ms", 80.0).metric("drain_ms", 900.0);
    return r;
  }

  @Test
  void aTrialPassesWithinTheLimitsAndWithNothingMissing() {
    assertThat(ChatScenario.passes(trial(), 100, 1000)).isTrue();
    assertThat(ChatScenario.passes(trial(), 80, 900)).isTrue(); // limits are inclusive
  }

  @Test
  void aTrialFailsOnAnyLimitOrLoss() {
    assertThat(ChatScenario.passes(trial(), 79.9, 1000)).isFalse();
    assertThat(ChatScenario.passes(trial(), 100, 899)).isFalse();
    assertThat(ChatScenario.passes(trial().metric("lost", 1L), 100, 1000)).isFalse();
    assertThat(ChatScenario.passes(trial().metric("duplicated", 1L), 100, 1000)).isFalse();
    assertThat(ChatScenario.passes(trial().metric("ack_errors", 1L), 100, 1000)).isFalse();
    assertThat(ChatScenario.passes(trial().metric("sent", 99L), 100, 1000)).isFalse();
    assertThat(ChatScenario.passes(trial().metric("e2e_p99_ms", Double.NaN), 100, 1000)).isFalse();
  }
}
