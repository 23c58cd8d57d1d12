package imps.server.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HeapBudgetTest {
  @Test
  void sharesOfBytes() {
    assertThat(HeapBudget.percentOf(640L << 20, 25)).isEqualTo(160L << 20);
    assertThat(HeapBudget.percentOf(100, 0.001)).isEqualTo(1);
    assertThat(HeapBudget.percentOfHeap(100)).isEqualTo(Runtime.getRuntime().maxMemory());
    assertThatThrownBy(() -> HeapBudget.percentOf(100, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HeapBudget.percentOf(100, 101))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
