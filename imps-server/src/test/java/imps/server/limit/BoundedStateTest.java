package imps.server.limit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BoundedStateTest {
  private static final int ENTRY = 100;
  private final AtomicLong now = new AtomicLong(1000);

  /** Values are their own expiry time. */
  private BoundedState<String, Long> state(long maxBytes) {
    return new BoundedState<>(maxBytes, (k, v) -> ENTRY, v -> v, now::get);
  }

  @Test
  void pastTheBudgetTheEntriesThatEndSoonestGoFirst() {
    BoundedState<String, Long> s = state(10L * ENTRY);
    s.put("late", 1_000_000L);
    for (int i = 0; i < 9; i++) {
      s.put("early" + i, 2000L + i);
    }
    assertThat(s.weightedSize()).isEqualTo(10L * ENTRY);
    s.put("later", 900_000L); // over budget: down to 7/8, the soonest ending first
    assertThat(s.weightedSize()).isLessThanOrEqualTo(10L * ENTRY - 10L * ENTRY / 8);
    assertThat(s.get("late")).isEqualTo(1_000_000L);
    assertThat(s.get("later")).isEqualTo(900_000L);
    assertThat(s.get("early0")).isNull();
    assertThat(s.get("early1")).isNull();
    assertThat(s.get("early8")).isEqualTo(2008L);
  }

  @Test
  void anExpiredEntryIsAbsentAndMadeAfreshOnUse() {
    BoundedState<String, Long> s = state(10L * ENTRY);
    s.put("k", 1500L);
    assertThat(s.get("k")).isEqualTo(1500L);
    now.set(1500);
    assertThat(s.get("k")).isNull();
    Long made = s.apply("k", k -> 5000L, v -> v);
    assertThat(made).isEqualTo(5000L);
    now.set(6000);
    s.cleanUp();
    assertThat(s.size()).isZero();
    assertThat(s.weightedSize()).isZero();
  }

  @Test
  void removeForgetsAndGivesTheBytesBack() {
    BoundedState<String, Long> s = state(10L * ENTRY);
    s.put("a", 9000L);
    s.put("b", 9000L);
    s.remove("a");
    assertThat(s.get("a")).isNull();
    assertThat(s.get("b")).isEqualTo(9000L);
    assertThat(s.weightedSize()).isEqualTo(ENTRY);
  }
}
